using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Attacks.Transforms;

/// <summary>The image column of an attack transform: a known-size Single vector read as [C, H, W].</summary>
internal static class ImageColumn
{
    internal static (DataViewSchema.Column Column, long[] Shape) Find(DataViewSchema schema, string name, int[]? declaredShape)
    {
        var column = SchemaMismatchException.FindColumn(schema, name);
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
            throw new SchemaMismatchException("inputSchema", "input", name, "known-size vector of Single (image pixels, e.g. from ExtractPixels)", column.Type.ToString()!);
        return (column, Shape(vector, name, declaredShape));
    }

    internal static void Check(SchemaShape shape, string name)
    {
        var column = SchemaMismatchException.FindColumn(shape, name);
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
            throw new SchemaMismatchException("inputSchema", "input", name, "known-size vector of Single (image pixels, e.g. from ExtractPixels)", column.TypeString());
    }

    /// <summary>[C, H, W] from the declared shape, or the vector's dimensions ([C, H, W]; [H, W] = one channel; one
    /// square dimension = one square channel).</summary>
    private static long[] Shape(VectorDataViewType vector, string name, int[]? declared)
    {
        if (declared is { } d)
        {
            if (d.Length != 3 || d.Any(v => v < 1) || (long)d[0] * d[1] * d[2] != vector.Size)
                throw new ArgumentException($"ImageShape [{string.Join(", ", d)}] must be [C, H, W] holding the {vector.Size} values of column '{name}'.");
            return d.Select(v => (long)v).ToArray();
        }
        var dims = vector.Dimensions;
        if (dims.Length == 3) return dims.Select(v => (long)v).ToArray();
        if (dims.Length == 2) return new long[] { 1, dims[0], dims[1] };
        var side = (long)Math.Round(Math.Sqrt(vector.Size));
        if (side * side == vector.Size) return new long[] { 1, side, side };
        throw new ArgumentException($"Column '{name}' is a flat vector of {vector.Size} values: set ImageShape to its [C, H, W].");
    }
}
