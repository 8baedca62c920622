using Microsoft.ML.Runtime;
using MLRobust.Augmentation;
using MLRobust.Persistence;
using MLRobust.Trainers;

namespace Microsoft.ML;

/// <summary>Registers MLRobust's saveable components with ML.NET, so that <c>ml.Model.Load</c> can read them.</summary>
public static class MLRobustComponentCatalog
{
    /// <summary>
    /// Lets <c>ml.Model.Load</c> read model files holding MLRobust's trainers' transformers and augmentation
    /// transforms: call <c>ml.ComponentCatalog.RegisterMLRobust()</c> once per MLContext before loading (making any
    /// MLRobust estimator from a context registers it too). Throws when the loaded Microsoft.ML is outside the
    /// supported range [5.0.1,6) and its model-file internals changed.
    /// </summary>
    public static ComponentCatalog RegisterMLRobust(this ComponentCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        MLNetPersistence.EnsureSupported();
        MLNetPersistence.RegisterLoader(catalog, DirectClassifierTransformer.LoaderSignature, (uint)DirectClassifierTransformer.Version,
            typeof(DirectClassifierTransformer), (env, entries) => DirectClassifierTransformer.Create(new ComponentReader(env, entries)));
        MLNetPersistence.RegisterLoader(catalog, TripleStagedTransformer.LoaderSignature, (uint)TripleStagedTransformer.Version,
            typeof(TripleStagedTransformer), (env, entries) => TripleStagedTransformer.Create(new ComponentReader(env, entries)));
        MLNetPersistence.RegisterLoader(catalog, ImageAugmentingTransformer.LoaderSignature, (uint)ImageAugmentingTransformer.Version,
            typeof(ImageAugmentingTransformer), (env, entries) => ImageAugmentingTransformer.Create(new ComponentReader(env, entries)));
        return catalog;
    }
}
