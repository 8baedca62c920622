using Microsoft.ML;

namespace MLRobust.Rendering.DataViews;

/// <summary>Short forms for reading data views.</summary>
internal static class DataViewExtensions
{
    /// <summary>A cursor over the given columns.</summary>
    public static DataViewRowCursor GetRowCursor(this IDataView data, params DataViewSchema.Column[] columnsNeeded) =>
        data.GetRowCursor(columnsNeeded, null);

    /// <summary>The number of rows: the view's own count when it knows it, else counted with a cursor over no columns.</summary>
    public static long CountRows(this IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.GetRowCount() is { } known) return known;
        long count = 0;
        using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>(), null);
        while (cursor.MoveNext()) count++;
        return count;
    }
}
