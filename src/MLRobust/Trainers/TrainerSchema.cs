using MLRobust.ImageData;
using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Trainers;

/// <summary>The column checks of the trainers, with ML.NET's schema errors naming the column, the expected and the actual type.</summary>
internal static class TrainerSchema
{
    // ---- on schema shapes (GetOutputSchema: names and kinds, no sizes) ----

    internal static void SingleVector(SchemaShape shape, string column, string role, bool orImage = false)
    {
        var found = SchemaMismatchException.FindColumn(shape, column, role);
        if (orImage && found.Kind == SchemaShape.Column.VectorKind.Scalar && found.ItemType is Microsoft.ML.Transforms.Image.ImageDataViewType) return;
        if (found.Kind != SchemaShape.Column.VectorKind.Vector || found.IsKey || !found.ItemType.Equals(NumberDataViewType.Single))
            throw new SchemaMismatchException("inputSchema", role, column, "known-size vector of Single", found.TypeString());
    }

    internal static void Key(SchemaShape shape, string column)
    {
        var found = SchemaMismatchException.FindColumn(shape, column, "label");
        if (!found.IsKey || found.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw new SchemaMismatchException("inputSchema", "label", column, "a key type", found.TypeString());
    }

    /// <summary>The output shape: the input plus Score (Single vector with slot names) and PredictedLabel (key with key values).</summary>
    internal static SchemaShape WithClassifierOutputs(SchemaShape input, string score, string predictedLabel, params string[] extraSingleVectors)
    {
        var text = new SchemaShape(new[] { SchemaShapes.Column(AnnotationExtensions.AnnotationKinds.KeyValues, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false) });
        var slots = new SchemaShape(new[] { SchemaShapes.Column(AnnotationExtensions.AnnotationKinds.SlotNames, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false) });
        var columns = new List<SchemaShape.Column>
        {
            SchemaShapes.Column(score, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false, slots),
            SchemaShapes.Column(predictedLabel, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true, text),
        };
        columns.AddRange(extraSingleVectors.Select(n => SchemaShapes.Column(n, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false)));
        return input.With(columns.ToArray());
    }

    // ---- on concrete schemas (Fit: sizes too) ----

    /// <summary>The side S of a square greyscale image column: a known-size Single vector shaped [1, S, S], [S, S] or S·S.</summary>
    internal static int ImageSize(DataViewSchema schema, string column, string role = "feature")
    {
        var found = SchemaMismatchException.FindColumn(schema, column, role);
        if (PixelColumn.SquareImageSide(found.Type) is { } imageSide) return imageSide;
        if (found.Type is VectorDataViewType { IsKnownSize: true } v && v.ItemType == NumberDataViewType.Single)
        {
            var dims = v.Dimensions;
            if (dims.Length == 3 && dims[0] == 1 && dims[1] == dims[2]) return dims[1];
            if (dims.Length == 2 && dims[0] == dims[1]) return dims[0];
            var side = (int)Math.Round(Math.Sqrt(v.Size));
            if (dims.Length <= 1 && side * side == v.Size) return side;
        }
        throw new SchemaMismatchException("inputSchema", role, column, "a square greyscale image: Vector<Single> of S·S values (shaped [1, S, S], [S, S] or flat), or a square Image of known size (ResizeImages)", found.Type.ToString()!);
    }

    /// <summary>Checks an image column has exactly <paramref name="size"/>² Single values.</summary>
    internal static void ImageOfSize(DataViewSchema schema, string column, int size, string role)
    {
        var found = SchemaMismatchException.FindColumn(schema, column, role);
        if (PixelColumn.SquareImageSide(found.Type) == size) return;
        if (found.Type is not VectorDataViewType { IsKnownSize: true } v || v.ItemType != NumberDataViewType.Single || v.Size != size * size)
            throw new SchemaMismatchException("inputSchema", role, column, $"Vector<Single, {size * size}> (the {size}x{size} image size of the features)", found.Type.ToString()!);
    }

    /// <summary>The size of a known-size Single vector column.</summary>
    internal static int VectorSize(DataViewSchema schema, string column, string role)
    {
        var found = SchemaMismatchException.FindColumn(schema, column, role);
        if (found.Type is not VectorDataViewType { IsKnownSize: true } v || v.ItemType != NumberDataViewType.Single)
            throw new SchemaMismatchException("inputSchema", role, column, "known-size vector of Single", found.Type.ToString()!);
        return v.Size;
    }

    internal static DataViewSchema.Column Label(DataViewSchema schema, string column)
    {
        var found = SchemaMismatchException.FindColumn(schema, column, "label");
        if (found.Type is not KeyDataViewType)
            throw new SchemaMismatchException("inputSchema", "label", column, "a key type", found.Type.ToString()!);
        return found;
    }

    /// <summary>The validation set must have the training set's column types.</summary>
    internal static void SameColumns(DataViewSchema training, IDataView validation, IEnumerable<string?> columns)
    {
        foreach (var name in columns)
        {
            if (name is null) continue;
            var expected = training[name];
            var actual = SchemaMismatchException.FindColumn(validation.Schema, name, "validation", "ValidationSet");
            if (!actual.Type.Equals(expected.Type))
                throw new SchemaMismatchException("ValidationSet", "validation", name, expected.Type.ToString()!, actual.Type.ToString()!);
        }
    }
}
