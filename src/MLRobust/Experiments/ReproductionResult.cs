namespace MLRobust.Experiments;

/// <summary>One row of the clean error table, next to the paper's Table 1 value.</summary>
/// <remarks>Confusion: counts, row = true class, column = predicted class, in the order of <see cref="ReproductionResult.ClassNames"/>.</remarks>
public sealed record CleanErrorRow(string Model, double? Threshold, double ErrorPercent, double PaperErrorPercent, double[][] Confusion);

/// <summary>The targeted until-flip attack on one model: object → another object (false positive, Fig. 4)
/// or object → None (false negative, Fig. 6).</summary>
public sealed record AttackSummaryRow(string Model, string Experiment, int Samples, double SuccessRate,
    double MedianSteps, double MedianDistortion, double MedianSsim, int MaxSteps)
{
    /// <summary>Steps of each sample whose label flipped (the box plots of the paper's Fig. 4/6).</summary>
    public double[] Steps { get; init; } = [];

    /// <summary>Distortion of each sample whose label flipped.</summary>
    public double[] Distortions { get; init; } = [];
}

/// <summary>What a reproduction run measured.</summary>
public sealed record ReproductionResult(
    ReproductionScale Scale,
    int ImageSize,
    int TrainRows,
    int TestRows,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<CleanErrorRow> CleanErrors,
    IReadOnlyList<AttackSummaryRow> Attacks,
    TripleStagedDiagnostics Diagnostics,
    IReadOnlyList<LearningCurvePoint> LearningCurves,
    IReadOnlyList<string> Pictures,
    TimeSpan Elapsed)
{
    /// <summary>The robustness suite on the direct and triple-staged models (the direct one with its index over training).</summary>
    public IReadOnlyList<Robustness.RobustnessSummary> Robustness { get; init; } = Array.Empty<Robustness.RobustnessSummary>();

    /// <summary>Wall-clock seconds of each phase ("render train", "train direct", …, "robustness"), in the order they ran.</summary>
    public IReadOnlyDictionary<string, double> PhaseSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Wall-clock seconds of each training stage, keyed "{model} {stage}" ("triple-staged Estimator", …): the
    /// "train …" phases split further.</summary>
    public IReadOnlyDictionary<string, double> StageSeconds { get; init; } = new Dictionary<string, double>();

    /// <summary>Where the run departs from the paper's setup.</summary>
    public IReadOnlyList<string> Deviations { get; init; } = Array.Empty<string>();

    /// <summary>The small scale's goals (<see cref="ReproductionGoals"/>), each with what this run measured.</summary>
    public IReadOnlyList<ReproductionGoal> Goals { get; init; } = Array.Empty<ReproductionGoal>();
}

/// <summary>One progress report of a training stage: the mean training loss since the previous report, and the validation
/// loss and accuracy when that report validated.</summary>
public sealed record LearningCurvePoint(string Model, string Stage, int Iteration, double Loss, double? ValidationLoss, double? ValidationAccuracy);
