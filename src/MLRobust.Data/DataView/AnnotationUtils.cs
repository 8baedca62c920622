namespace MLRobust.ML.Data;

/// <summary>The standard annotation kinds and helpers to read them.</summary>
public static class AnnotationUtils
{
    public static class Kinds
    {
        /// <summary>Names of a vector column's slots: a text vector of the column's size.</summary>
        public const string SlotNames = "SlotNames";

        /// <summary>What each key of a key column stands for: a vector of <c>Count</c> values, key k is item k-1.</summary>
        public const string KeyValues = "KeyValues";
    }

    /// <summary>Whether the column has text key values of the right length.</summary>
    public static bool HasKeyValues(this DataViewSchema.Column column, DataViewType? keyValueItemType = null)
    {
        var kv = column.Annotations.Schema.GetColumnOrNull(Kinds.KeyValues);
        if (kv is null || kv.Value.Type is not VectorDataViewType vector) return false;
        if (keyValueItemType != null && !vector.ItemType.Equals(keyValueItemType)) return false;
        return (ulong)vector.Size == column.Type.GetKeyCount();
    }

    /// <summary>Reads the key values of a key column as strings (key k is item k-1), or null when it has none.</summary>
    public static string[]? GetKeyValueNames(this DataViewSchema.Column column)
    {
        var kv = column.Annotations.Schema.GetColumnOrNull(Kinds.KeyValues);
        if (kv is null || kv.Value.Type is not VectorDataViewType vector) return null;
        return AnnotationReader.ReadAsStrings(column.Annotations, kv.Value, vector);
    }

    /// <summary>Reads the slot names of a vector column, or null when it has none.</summary>
    public static string[]? GetSlotNames(this DataViewSchema.Column column)
    {
        var sn = column.Annotations.Schema.GetColumnOrNull(Kinds.SlotNames);
        if (sn is null || sn.Value.Type is not VectorDataViewType vector) return null;
        return AnnotationReader.ReadAsStrings(column.Annotations, sn.Value, vector);
    }
}
