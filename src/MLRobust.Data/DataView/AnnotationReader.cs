using System.Globalization;

namespace MLRobust.ML.Data;

/// <summary>Reads a vector annotation of any item type as strings.</summary>
internal static class AnnotationReader
{
    internal static string[] ReadAsStrings(DataViewSchema.Annotations annotations, DataViewSchema.Column column, VectorDataViewType type)
    {
        var method = typeof(AnnotationReader).GetMethod(nameof(Read), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type.ItemType.RawType);
        return (string[])method.Invoke(null, new object[] { annotations, column })!;
    }

    private static string[] Read<T>(DataViewSchema.Annotations annotations, DataViewSchema.Column column)
    {
        var buffer = default(VBuffer<T>);
        annotations.GetGetter<VBuffer<T>>(column)(ref buffer);
        return buffer.DenseValues().Select(v => v is ReadOnlyMemory<char> m ? m.ToString() : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "").ToArray();
    }
}
