using MLRobust.ML.Data;
using MLRobust.ML.Transforms;

namespace MLRobust.ML;

/// <summary>Column transforms on <c>mlContext.Transforms</c>.</summary>
public static class TransformExtensionsCatalog
{
    public static ColumnCopyingEstimator CopyColumns(this TransformsCatalog catalog, string outputColumnName, string inputColumnName) =>
        new(CatalogUtils.GetEnvironment(catalog), (outputColumnName, inputColumnName));

    public static ColumnCopyingEstimator CopyColumns(this TransformsCatalog catalog, InputOutputColumnPair[] columns) =>
        new(CatalogUtils.GetEnvironment(catalog), InputOutputColumnPair.ToTuples(columns));

    /// <summary>Concatenates columns of one item type into a vector.</summary>
    public static ColumnConcatenatingEstimator Concatenate(this TransformsCatalog catalog, string outputColumnName, params string[] inputColumnNames) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnNames);

    public static ColumnSelectingEstimator DropColumns(this TransformsCatalog catalog, params string[] columnNames) =>
        new(CatalogUtils.GetEnvironment(catalog), null, columnNames ?? throw new ArgumentNullException(nameof(columnNames)));

    public static ColumnSelectingEstimator SelectColumns(this TransformsCatalog catalog, params string[] columnNames) =>
        new(CatalogUtils.GetEnvironment(catalog), columnNames ?? throw new ArgumentNullException(nameof(columnNames)), null);

    /// <summary>Runs <paramref name="mapAction"/> on every row. Give a <paramref name="contractName"/> (and a
    /// [CustomMappingFactoryAttribute] class for it) to be able to save and load the model.</summary>
    public static CustomMappingEstimator<TSrc, TDst> CustomMapping<TSrc, TDst>(this TransformsCatalog catalog, Action<TSrc, TDst> mapAction, string? contractName,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null)
        where TSrc : class, new()
        where TDst : class, new() =>
        new(CatalogUtils.GetEnvironment(catalog), mapAction, contractName, inputSchemaDefinition, outputSchemaDefinition);
}
