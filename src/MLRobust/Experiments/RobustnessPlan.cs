using MLRobust.Attacks;
using MLRobust.Robustness;

namespace MLRobust.Experiments;

/// <summary>How much of the robustness suite each <see cref="ReproductionScale"/> runs on its models, and how the direct
/// classifier's training is monitored.</summary>
internal sealed record RobustnessPlan(int Rows, int ImagesPerClass, int InterpolationSteps, double[] EpsilonGreyLevels, int PgdSteps,
    int[] PixelCounts, int[] PixelRanges, bool CentreArea, int[] RestoreCounts, int MonitorRows, int MonitorImagesPerClass, int MonitorPoints)
{
    internal static RobustnessPlan For(ReproductionScale scale) => scale switch
    {
        ReproductionScale.Smoke => new(24, 2, 20, [0, 4, 16], 3, [4, 16], [PixelSensitivityOptions.FullRange], false, [8], 16, 2, 2),
        ReproductionScale.Small => new(96, 5, 100, [0, 1, 2, 4, 8, 16, 32], 10, [4, 16, 64], [40, PixelSensitivityOptions.FullRange], true, [8, 32], 48, 4, 6),
        ReproductionScale.Paper => new(1000, 10, 100, [0, 1, 2, 4, 8, 16, 32, 64], 10, [4, 8, 16, 32, 64], [10, 40, 70, 100, 127, PixelSensitivityOptions.FullRange], true, [4, 8, 16, 32, 64], 200, 10, 10),
        _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "unknown reproduction scale"),
    };

    /// <summary>The evaluation options for <paramref name="imageSize"/>×<paramref name="imageSize"/> images and until-flip attacks of at most <paramref name="maxSteps"/> steps.</summary>
    internal RobustnessEvaluationOptions Evaluation(int imageSize, int maxSteps, int seed) => new()
    {
        MaxRows = Rows,
        Index = IndexOptions(ImagesPerClass, maxSteps, seed),
        EpsilonAttacks = new() { new FgsmOptions { Seed = seed }, new PgdOptions { Steps = PgdSteps, Seed = seed } },
        Epsilon = new EpsilonSweepOptions { EpsilonGreyLevels = EpsilonGreyLevels, Seed = seed },
        PixelChanges = new PixelSensitivityOptions
        {
            Counts = PixelCounts, Ranges = PixelRanges, Seed = seed,
            AreaSides = CentreArea ? new[] { PixelSensitivityOptions.WholeImage, imageSize / 2 } : new[] { PixelSensitivityOptions.WholeImage },
        },
        RestoreChanges = new PixelSensitivityOptions
        {
            Counts = RestoreCounts, Ranges = new[] { PixelSensitivityOptions.FullRange }, AreaSides = new[] { PixelSensitivityOptions.WholeImage }, Seed = seed,
        },
    };

    internal RobustnessIndexOptions IndexOptions(int imagesPerClass, int maxSteps, int seed) => new()
    {
        ImagesPerClass = imagesPerClass, MaxSteps = maxSteps, InterpolationSteps = InterpolationSteps, Seed = seed,
    };
}
