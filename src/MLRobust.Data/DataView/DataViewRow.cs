namespace MLRobust.ML;

/// <summary>One row of a data view, read column by column through getters.</summary>
public abstract class DataViewRow : IDisposable
{
    /// <summary>The row's index in its cursor's order; -1 before the first row and after the last.</summary>
    public abstract long Position { get; }

    /// <summary>Which cursor of a cursor set produced the row (0 for a single cursor).</summary>
    public abstract long Batch { get; }

    public abstract DataViewSchema Schema { get; }

    public abstract bool IsColumnActive(DataViewSchema.Column column);

    /// <summary>A getter for an active column; throws when the column is inactive or <typeparamref name="TValue"/> is not its raw type.</summary>
    public abstract ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column);

    public abstract ValueGetter<DataViewRowId> GetIdGetter();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing) { }
}

/// <summary>A row that moves forward through a data view.</summary>
public abstract class DataViewRowCursor : DataViewRow
{
    /// <summary>Moves to the next row; false when there is none.</summary>
    public abstract bool MoveNext();
}
