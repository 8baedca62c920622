using Microsoft.ML;

namespace MLRobust.Rendering.DataViews;

/// <summary>The checks every GetGetter and GetRowCursor does, with ML.NET's messages.</summary>
internal static class CursorChecks
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
