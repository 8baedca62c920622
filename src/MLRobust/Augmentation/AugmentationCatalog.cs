using MLRobust.MLNet;
using MLRobust.Attacks;
using MLRobust.Augmentation;

namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.Transforms.Augmentation</c>: random changes of an image column (a known-size Single vector
/// [C, H, W] with values in <c>valueRange</c>, [0, 1] by default), each row drawing from its own stream
/// (the seed, or the context's next seed, and the row position), plus adversarial augmentation.
/// </summary>
public sealed class AugmentationCatalog
{
    internal AugmentationCatalog(TransformsCatalog owner) => Environment = RobustEnvironment.FromCatalog(owner);

    internal RobustEnvironment Environment { get; }

    /// <summary>Zhang and Cai's pixel change: <paramref name="count"/> pixels inside the centred
    /// <paramref name="area"/> × <paramref name="area"/> square get a new value, anywhere in the range
    /// (<paramref name="range"/> 255, the default) or within ±<paramref name="range"/> grey levels.</summary>
    public ImageAugmentingEstimator PixelChange(string outputColumnName, int count = 64, int range = 255, int? area = null, int? seed = null,
        string? inputColumnName = null, PixelChangeMode? mode = null, InputRange? valueRange = null, int[]? imageShape = null) =>
        Make(new PixelChangeAugmentation(count, range, area, mode, valueRange), outputColumnName, inputColumnName, seed, imageShape);

    public ImageAugmentingEstimator RandomRotation(string outputColumnName, double maxDegrees = 15, int? seed = null, string? inputColumnName = null,
        float fill = 0, InputRange? valueRange = null, int[]? imageShape = null) =>
        Make(new RotationAugmentation(maxDegrees, fill, valueRange), outputColumnName, inputColumnName, seed, imageShape);

    public ImageAugmentingEstimator RandomShift(string outputColumnName, int maxPixels = 4, int? seed = null, string? inputColumnName = null,
        float fill = 0, InputRange? valueRange = null, int[]? imageShape = null) =>
        Make(new ShiftAugmentation(maxPixels, fill, valueRange), outputColumnName, inputColumnName, seed, imageShape);

    /// <summary>Pads by <paramref name="padding"/> and cuts a random <paramref name="height"/> × <paramref name="width"/> window.</summary>
    public ImageAugmentingEstimator RandomCrop(string outputColumnName, int height, int width, int padding = 0, int? seed = null, string? inputColumnName = null,
        float fill = 0, InputRange? valueRange = null, int[]? imageShape = null) =>
        Make(new CropAugmentation(height, width, padding, fill, valueRange), outputColumnName, inputColumnName, seed, imageShape);

    public ImageAugmentingEstimator GaussianNoise(string outputColumnName, double standardDeviation, int? seed = null, string? inputColumnName = null,
        InputRange? valueRange = null, int[]? imageShape = null) =>
        Make(new GaussianNoiseAugmentation(standardDeviation, valueRange), outputColumnName, inputColumnName, seed, imageShape);

    /// <summary>
    /// Adversarial augmentation: replaces the image of a <paramref name="fraction"/> of the rows (a per-row seeded
    /// draw) by the attack's adversarial image, computed lazily in batches against the model's weights at the time
    /// the rows are read, so a trainer that reads its data every epoch trains on fresh adversarials.
    /// <paramref name="attack"/> chooses the attack by its options type (e.g. <see cref="PgdOptions"/>).
    /// </summary>
    public AdversarialEstimator Adversarial(IAttackTarget model, AttackOptions attack, double fraction = 0.5, string outputColumnName = "Features",
        string? inputColumnName = null, AdversarialTransformOptions? columns = null) =>
        new(Environment, new AdversarialTransformer(Environment, MLRobust.Attacks.Attack.Create(model, attack), outputColumnName, inputColumnName ?? outputColumnName, columns,
            fraction, bookkeeping: false));

    private ImageAugmentingEstimator Make(ImageAugmentation augmentation, string outputColumnName, string? inputColumnName, int? seed, int[]? imageShape) =>
        new(Environment, new ImageAugmentingTransformer(Environment, augmentation, seed ?? Environment.NextSeed(), imageShape, outputColumnName, inputColumnName ?? outputColumnName));
}
