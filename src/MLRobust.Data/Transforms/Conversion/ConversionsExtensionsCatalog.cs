using MLRobust.ML.Transforms;

namespace MLRobust.ML;

/// <summary>Key conversions on <c>mlContext.Transforms.Conversion</c>.</summary>
public static class ConversionsExtensionsCatalog
{
    /// <summary>Maps the values of <paramref name="inputColumnName"/> (text, numbers, booleans; scalars or vectors) to keys 1..N,
    /// learned from the data (or from <paramref name="keyData"/>); the output's KeyValues annotation holds the values.</summary>
    public static ValueToKeyMappingEstimator MapValueToKey(this TransformsCatalog.ConversionTransforms catalog, string outputColumnName, string? inputColumnName = null,
        int maximumNumberOfKeys = ValueToKeyMappingEstimator.Defaults.MaximumNumberOfKeys,
        ValueToKeyMappingEstimator.KeyOrdinality keyOrdinality = ValueToKeyMappingEstimator.Defaults.Ordinality,
        bool addKeyValueAnnotationsAsText = ValueToKeyMappingEstimator.Defaults.AddKeyValueAnnotationsAsText, IDataView? keyData = null) =>
        new(CatalogUtils.GetEnvironment(catalog), new[] { (outputColumnName, inputColumnName ?? outputColumnName) },
            maximumNumberOfKeys, keyOrdinality, addKeyValueAnnotationsAsText, keyData);

    public static ValueToKeyMappingEstimator MapValueToKey(this TransformsCatalog.ConversionTransforms catalog, InputOutputColumnPair[] columns,
        int maximumNumberOfKeys = ValueToKeyMappingEstimator.Defaults.MaximumNumberOfKeys,
        ValueToKeyMappingEstimator.KeyOrdinality keyOrdinality = ValueToKeyMappingEstimator.Defaults.Ordinality,
        bool addKeyValueAnnotationsAsText = ValueToKeyMappingEstimator.Defaults.AddKeyValueAnnotationsAsText, IDataView? keyData = null) =>
        new(CatalogUtils.GetEnvironment(catalog), InputOutputColumnPair.ToTuples(columns), maximumNumberOfKeys, keyOrdinality, addKeyValueAnnotationsAsText, keyData);

    /// <summary>Maps keys back to the values of their KeyValues annotation.</summary>
    public static KeyToValueMappingEstimator MapKeyToValue(this TransformsCatalog.ConversionTransforms catalog, string outputColumnName, string? inputColumnName = null) =>
        new(CatalogUtils.GetEnvironment(catalog), (outputColumnName, inputColumnName ?? outputColumnName));

    public static KeyToValueMappingEstimator MapKeyToValue(this TransformsCatalog.ConversionTransforms catalog, InputOutputColumnPair[] columns) =>
        new(CatalogUtils.GetEnvironment(catalog), InputOutputColumnPair.ToTuples(columns));
}
