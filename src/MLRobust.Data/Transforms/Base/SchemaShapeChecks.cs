using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>Common input checks of estimators' GetOutputSchema.</summary>
internal static class SchemaShapeChecks
{
    internal static SchemaShape.Column ScalarOfType(SchemaShape shape, string column, DataViewType rawItemType, string expected)
    {
        var found = SchemaMismatchException.FindColumn(shape, column);
        if (found.Kind != SchemaShape.Column.VectorKind.Scalar || found.IsKey || !found.ItemType.Equals(rawItemType))
            throw new SchemaMismatchException("inputSchema", "input", column, expected, found.GetTypeString());
        return found;
    }

    internal static SchemaShape.Column Image(SchemaShape shape, string column)
    {
        var found = SchemaMismatchException.FindColumn(shape, column);
        if (found.Kind != SchemaShape.Column.VectorKind.Scalar || found.ItemType is not ImageDataViewType)
            throw new SchemaMismatchException("inputSchema", "input", column, "Image", found.GetTypeString());
        return found;
    }

    internal static ImageDataViewType Image(DataViewSchema.Column column) =>
        column.Type as ImageDataViewType ?? throw new SchemaMismatchException("inputSchema", "input", column.Name, "Image", column.Type.ToString()!);
}
