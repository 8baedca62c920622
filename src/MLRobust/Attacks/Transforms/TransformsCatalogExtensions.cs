using MLRobust.Augmentation;

namespace Microsoft.ML;

/// <summary>The sub-catalogs MLRobust adds to <c>mlContext.Transforms</c>.</summary>
public static class RobustTransformsCatalogExtensions
{
    extension(TransformsCatalog catalog)
    {
        /// <summary>Attacks as transforms: <c>mlContext.Transforms.Adversarial.Pgd(…)</c>.</summary>
        public AdversarialCatalog Adversarial => new(catalog);

        /// <summary>Data augmentation: <c>mlContext.Transforms.Augmentation.PixelChange(…)</c>.</summary>
        public AugmentationCatalog Augmentation => new(catalog);
    }
}
