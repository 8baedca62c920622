namespace MLRobust.ML;

/// <summary>
/// A table that is read through cursors. Views are lazy: a cursor computes only the columns it was asked for,
/// row by row as it moves, so a view never has to fit in memory.
/// </summary>
public interface IDataView
{
    /// <summary>Whether cursors can visit the rows in a random order (when given a <see cref="Random"/>).</summary>
    bool CanShuffle { get; }

    /// <summary>The number of rows when it is known cheaply, else null.</summary>
    long? GetRowCount();

    DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null);

    /// <summary>Up to <paramref name="n"/> cursors that together visit every row once (one is always allowed).</summary>
    DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null);

    DataViewSchema Schema { get; }
}
