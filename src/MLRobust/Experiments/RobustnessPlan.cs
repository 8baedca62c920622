using MLRobust.Attacks;
using MLRobust.Robustness;

namespace MLRobust.Experiments;

/// <summary>How much of the robustness suite a model gets at a <see cref="ReproductionScale"/>. The triple-staged network costs
/// about 15-20× the direct one per gradient step (three hypotheses, each estimated, projected and compared patch by patch), so it
/// gets a smaller share at the laptop scales.</summary>
internal sealed record RobustnessSuitePlan(int Rows, int ImagesPerClass, int MaxSteps, int InterpolationSteps, double[] EpsilonGreyLevels, int PgdSteps,
    int[] PixelCounts, int[] PixelRanges, bool CentreArea, int[] RestoreCounts, int BatchSize = 256)
{
    /// <summary>The evaluation options for <paramref name="imageSize"/>×<paramref name="imageSize"/> images.</summary>
    internal RobustnessEvaluationOptions Evaluation(int imageSize, int seed) => new()
    {
        MaxRows = Rows,
        Index = new RobustnessIndexOptions { ImagesPerClass = ImagesPerClass, MaxSteps = MaxSteps, InterpolationSteps = InterpolationSteps, Seed = seed, BatchSize = BatchSize },
        EpsilonAttacks = new() { new FgsmOptions { Seed = seed }, new PgdOptions { Steps = PgdSteps, Seed = seed } },
        Epsilon = new EpsilonSweepOptions { EpsilonGreyLevels = EpsilonGreyLevels, Seed = seed, BatchSize = BatchSize },
        PixelChanges = new PixelSensitivityOptions
        {
            Counts = PixelCounts, Ranges = PixelRanges, Seed = seed, BatchSize = BatchSize,
            AreaSides = CentreArea ? new[] { PixelSensitivityOptions.WholeImage, imageSize / 2 } : new[] { PixelSensitivityOptions.WholeImage },
        },
        RestoreChanges = new PixelSensitivityOptions
        {
            Counts = RestoreCounts, Ranges = new[] { PixelSensitivityOptions.FullRange }, AreaSides = new[] { PixelSensitivityOptions.WholeImage }, Seed = seed, BatchSize = BatchSize,
        },
    };
}

/// <summary>The suite for each model of the demo, and how the direct classifier's training is monitored.</summary>
internal sealed record RobustnessPlan(RobustnessSuitePlan Direct, RobustnessSuitePlan Triple, int MonitorRows, int MonitorImagesPerClass, int MonitorMaxSteps,
    int MonitorInterpolationSteps, int MonitorPoints)
{
    private const int Any = PixelSensitivityOptions.FullRange;

    internal static RobustnessPlan For(ReproductionScale scale) => scale switch
    {
        ReproductionScale.Smoke => new(
            new(24, 2, 20, 20, [0, 4, 16], 3, [4, 16], [Any], false, [8]),
            new(24, 2, 20, 20, [0, 4, 16], 3, [4, 16], [Any], false, [8]),
            16, 2, 20, 20, 2),
        ReproductionScale.Small => new(
            new(48, 2, 150, 50, [0, 1, 2, 4, 8, 16, 32], 5, [4, 16, 64], [40, Any], true, [8, 32]),
            // Batches of 32: the triple-staged network runs every image under each of its three hypotheses, patch by patch; in
            // batches of 256 the activations outgrow the caches (LIME's 150 samples ran 1.8× faster in batches of 32).
            new(24, 1, 100, 25, [0, 2, 8, 32], 3, [4, 16, 64], [Any], false, [8, 32], 32),
            48, 2, 100, 25, 4),
        ReproductionScale.Paper => new(
            new(1000, 10, 10_000, 100, [0, 1, 2, 4, 8, 16, 32, 64], 10, [4, 8, 16, 32, 64], [10, 40, 70, 100, 127, Any], true, [4, 8, 16, 32, 64]),
            new(1000, 10, 10_000, 100, [0, 1, 2, 4, 8, 16, 32, 64], 10, [4, 8, 16, 32, 64], [10, 40, 70, 100, 127, Any], true, [4, 8, 16, 32, 64]),
            200, 10, 10_000, 100, 10),
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "unknown reproduction scale"),
    };

    internal RobustnessIndexOptions MonitorOptions(int seed) => new()
    {
        ImagesPerClass = MonitorImagesPerClass, MaxSteps = MonitorMaxSteps, InterpolationSteps = MonitorInterpolationSteps, Seed = seed,
    };
}
