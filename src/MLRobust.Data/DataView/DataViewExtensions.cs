using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>Conveniences over <see cref="IDataView"/>.</summary>
public static class DataViewExtensions
{
    public static DataViewRowCursor GetRowCursor(this IDataView data, params DataViewSchema.Column[] columnsNeeded) =>
        data.GetRowCursor((IEnumerable<DataViewSchema.Column>)columnsNeeded);

    public static DataViewRowCursor GetRowCursorForAllColumns(this IDataView data) => data.GetRowCursor(data.Schema);

    /// <summary>The values of one column, in row order (vectors are copied, so they can be kept).</summary>
    public static IEnumerable<T> GetColumn<T>(this IDataView data, string columnName)
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = data.Schema[columnName];
        return GetColumn<T>(data, column);
    }

    public static IEnumerable<T> GetColumn<T>(this IDataView data, DataViewSchema.Column column)
    {
        if (column.Type.RawType != typeof(T))
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' holds {column.Type} ({column.Type.RawType.Name}), not {typeof(T).Name}.");
        return Iterate();

        IEnumerable<T> Iterate()
        {
            using var cursor = data.GetRowCursor(column);
            var getter = cursor.GetGetter<T>(column);
            var copy = ValueCopier.For<T>();
            while (cursor.MoveNext())
            {
                T value = default!;
                getter(ref value);
                yield return copy(value);
            }
        }
    }

    /// <summary>Counts rows by cursoring when the view does not know its count.</summary>
    public static long CountRows(this IDataView data)
    {
        if (data.GetRowCount() is { } count) return count;
        using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
        long n = 0;
        while (cursor.MoveNext()) n++;
        return n;
    }
}
