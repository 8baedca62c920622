namespace MLRobust.ML;

/// <summary>
/// A base for cursors that produce rows themselves (not by wrapping another cursor): it keeps
/// <see cref="Position"/>, row ids and disposal straight. Subclasses implement <see cref="MoveNextCore"/>
/// and <see cref="DataViewRow.GetGetter{TValue}"/> (use <see cref="CheckGetter{TValue}"/> for the checks).
/// </summary>
public abstract class RootCursorBase : DataViewRowCursor
{
    private long _position = -1;
    private bool _done;
    private bool _disposed;

    public sealed override long Position => _position;

    public override long Batch => 0;

    public sealed override bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_done) return false;
        if (MoveNextCore())
        {
            _position++;
            return true;
        }
        _done = true;
        _position = -1;
        return false;
    }

    /// <summary>Advances the underlying source; false when it has no more rows.</summary>
    protected abstract bool MoveNextCore();

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) =>
    {
        if (_position < 0) throw new InvalidOperationException("The cursor is not on a row.");
        value = new DataViewRowId((ulong)_position, 0);
    };

    /// <summary>Checks that <paramref name="column"/> belongs to this row's schema and is active, and that
    /// <paramref name="getter"/> has the requested value type; returns it typed.</summary>
    protected ValueGetter<TValue> CheckGetter<TValue>(DataViewSchema.Column column, Delegate? getter) =>
        CursorChecks.Getter<TValue>(this, column, getter);

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        _position = -1;
        _done = true;
        base.Dispose(disposing);
    }
}

/// <summary>The checks every GetGetter does, with ML.NET's messages.</summary>
public static class CursorChecks
{
    public static ValueGetter<TValue> Getter<TValue>(DataViewRow row, DataViewSchema.Column column, Delegate? getter)
    {
        if ((uint)column.Index >= (uint)row.Schema.Count || row.Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) is not in this row's schema.");
        if (getter is null)
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor: ask for it in GetRowCursor's columnsNeeded.");
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Invalid TValue in GetGetter for column '{column.Name}': '{typeof(TValue)}', expected type: '{row.Schema[column.Index].Type.RawType}'.");
    }

    /// <summary>Which columns of <paramref name="schema"/> are in <paramref name="columnsNeeded"/>.</summary>
    public static bool[] ActiveFlags(DataViewSchema schema, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[schema.Count];
        foreach (var column in columnsNeeded)
        {
            if ((uint)column.Index >= (uint)schema.Count || schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(columnsNeeded), $"Column '{column.Name}' (index {column.Index}) is not in this data view's schema.");
            active[column.Index] = true;
        }
        return active;
    }
}
