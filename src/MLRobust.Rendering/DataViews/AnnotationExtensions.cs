using System.Globalization;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Rendering.DataViews;

/// <summary>
/// Writing and reading the standard annotations (slot names, key values) as ML.NET's own components do; ML.NET keeps
/// its AddSlotNames/AddKeyValues builder helpers internal.
/// </summary>
internal static class AnnotationExtensions
{
    /// <summary>The annotation names ML.NET uses (its AnnotationUtils is internal).</summary>
    public static class AnnotationKinds
    {
        public const string SlotNames = "SlotNames";
        public const string KeyValues = "KeyValues";
        public const string ScoreColumnKind = "ScoreColumnKind";
        public const string ScoreValueKind = "ScoreValueKind";
        public const string ScoreColumnSetId = "ScoreColumnSetId";
    }

    /// <summary>Names the slots of a vector column of <paramref name="size"/> items.</summary>
    public static void AddSlotNames(this DataViewSchema.Annotations.Builder builder, int size, ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter) =>
        builder.Add(AnnotationKinds.SlotNames, new VectorDataViewType(TextDataViewType.Instance, size), getter);

    /// <summary>Adds the values a key column's keys stand for (key k is item k-1).</summary>
    public static void AddKeyValues<TValue>(this DataViewSchema.Annotations.Builder builder, int size, PrimitiveDataViewType valueType, ValueGetter<VBuffer<TValue>> getter) =>
        builder.Add(AnnotationKinds.KeyValues, new VectorDataViewType(valueType, size), getter);

    /// <summary>Key values of text names for the given class names.</summary>
    public static void AddKeyValues(this DataViewSchema.Annotations.Builder builder, IReadOnlyList<string> names)
    {
        var values = names.Select(n => n.AsMemory()).ToArray();
        builder.AddKeyValues(values.Length, TextDataViewType.Instance, (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(values.Length, (ReadOnlyMemory<char>[])values.Clone()));
    }

    /// <summary>Reads the key values of a key column as strings (key k is item k-1), or null when it has none.</summary>
    public static string[]? GetKeyValueNames(this DataViewSchema.Column column) => ReadStrings(column, AnnotationKinds.KeyValues);

    /// <summary>Reads the slot names of a vector column as strings, or null when it has none.</summary>
    public static string[]? GetSlotNameStrings(this DataViewSchema.Column column) => ReadStrings(column, AnnotationKinds.SlotNames);

    /// <summary>The number of keys of a key column (or a vector of keys), 0 for other types.</summary>
    public static ulong GetKeyCount(this DataViewType type) =>
        (type is VectorDataViewType v ? v.ItemType : type) is KeyDataViewType k ? k.Count : 0;

    /// <summary>The number of items a value holds: 1 for scalars, the vector size (0 = variable) for vectors.</summary>
    public static int GetValueCount(this DataViewType type) => type is VectorDataViewType v ? v.Size : 1;

    private static string[]? ReadStrings(DataViewSchema.Column column, string kind)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(kind);
        if (annotation is null || annotation.Value.Type is not VectorDataViewType vector) return null;
        var read = typeof(AnnotationExtensions).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(vector.ItemType.RawType);
        return (string[])read.Invoke(null, [column.Annotations, annotation.Value])!;
    }

    private static string[] Read<T>(DataViewSchema.Annotations annotations, DataViewSchema.Column column)
    {
        var buffer = default(VBuffer<T>);
        annotations.GetGetter<VBuffer<T>>(column)(ref buffer);
        return buffer.DenseValues().Select(v => v is ReadOnlyMemory<char> m ? m.ToString() : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToArray();
    }
}
