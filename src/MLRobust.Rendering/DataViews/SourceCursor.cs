using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLRobust.Rendering.DataViews;

/// <summary>
/// A base for cursors that produce rows themselves (not by wrapping another cursor): it keeps
/// <see cref="Position"/>, row ids and disposal straight (ML.NET's own RootCursorBase is internal).
/// Subclasses implement <see cref="MoveNextCore"/> and <see cref="DataViewRow.GetGetter{TValue}"/>.
/// </summary>
internal abstract class SourceCursor : DataViewRowCursor
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
