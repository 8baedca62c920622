namespace MLRobust.Training;

/// <summary>
/// Training of the triple-staged network, stage by stage: the estimator on object rows (Euclidean loss on the pose),
/// the projector on clean renders (0.01 · Euclidean + mask cross entropy), the comparator on balanced same/different
/// patches cut from the outputs of the first two stages. The defaults are a short laptop run;
/// <see cref="UsePaperSolvers"/> switches to the reference code's iterations, batches and solvers.
/// </summary>
public class TripleStagedTrainingOptions : TrainingOptions
{
    public StageOptions Estimator = new(800, 64, new SolverOptions { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, WeightDecay = 0 });
    public StageOptions Projector = new(1500, 64, new SolverOptions { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, WeightDecay = 0 });

    /// <summary>The comparator's batch counts patches.</summary>
    public StageOptions Comparator = new(400, 256, new SolverOptions { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, WeightDecay = 0 });

    /// <summary>Images run through stages 1-2 for each draw of comparator patches.</summary>
    public int ComparatorImagesPerDraw = 16;

    /// <summary>Patches are cut at this stride (the paper: 6).</summary>
    public int PatchStride = 6;

    /// <summary>A patch is used only when the mean projected alpha over it is at least this (the paper: 1%).</summary>
    public double MinimumPatchCoverage = 0.01;

    /// <summary>The weight of the image term of the projector loss (the paper: 0.01).</summary>
    public double ProjectorImageLossWeight = 0.01;

    /// <summary>The chance that an object image is paired with its own class ("same") rather than another one.</summary>
    public double SamePairFraction = 0.5;

    /// <summary>The reference code's solvers and run lengths: stage 1 SGD 40k × 128, stage 2 Adam 500k × 128, stage 3
    /// SGD 50k × 1280 patches.</summary>
    public void UsePaperSolvers()
    {
        Estimator = new StageOptions(40_000, 128, SolverOptions.PaperClassifier());
        Projector = new StageOptions(500_000, 128, SolverOptions.PaperProjector());
        Comparator = new StageOptions(50_000, 1280, SolverOptions.PaperComparator());
        ComparatorImagesPerDraw = 64;
    }

    internal void Validate()
    {
        ValidateCommon();
        ArgumentNullException.ThrowIfNull(Estimator, nameof(Estimator));
        ArgumentNullException.ThrowIfNull(Projector, nameof(Projector));
        ArgumentNullException.ThrowIfNull(Comparator, nameof(Comparator));
        Estimator.Validate(nameof(Estimator));
        Projector.Validate(nameof(Projector));
        Comparator.Validate(nameof(Comparator));
        if (Comparator.BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(Comparator), Comparator.BatchSize, "the comparator batch needs at least one same and one different patch");
        if (ComparatorImagesPerDraw < 1) throw new ArgumentOutOfRangeException(nameof(ComparatorImagesPerDraw), ComparatorImagesPerDraw, "must be positive");
        if (PatchStride < 1) throw new ArgumentOutOfRangeException(nameof(PatchStride), PatchStride, "must be positive");
        if (MinimumPatchCoverage < 0 || MinimumPatchCoverage > 1) throw new ArgumentOutOfRangeException(nameof(MinimumPatchCoverage), MinimumPatchCoverage, "must be in [0, 1]");
        if (ProjectorImageLossWeight < 0) throw new ArgumentOutOfRangeException(nameof(ProjectorImageLossWeight), ProjectorImageLossWeight, "must not be negative");
        if (SamePairFraction < 0 || SamePairFraction > 1) throw new ArgumentOutOfRangeException(nameof(SamePairFraction), SamePairFraction, "must be in [0, 1]");
    }
}
