namespace MLRobust.ML;

/// <summary><c>mlContext.Transforms</c>: the transforms are extension methods on this catalog (and on
/// <see cref="Conversion"/>), defined next to the estimators they create.</summary>
public sealed class TransformsCatalog : CatalogBase
{
    internal TransformsCatalog(IHostEnvironment env) : base(env)
    {
        Conversion = new ConversionTransforms(this);
    }

    /// <summary>Type and key conversions: MapValueToKey, MapKeyToValue.</summary>
    public ConversionTransforms Conversion { get; }

    public sealed class ConversionTransforms : CatalogBase
    {
        internal ConversionTransforms(TransformsCatalog owner) : base(owner.Environment) { }
    }
}
