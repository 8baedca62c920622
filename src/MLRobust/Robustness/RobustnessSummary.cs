namespace MLRobust.Robustness;

/// <summary>
/// The numbers of a robustness evaluation as plain data (what <c>mlrobust evaluate --robustness --json</c> prints, the demo
/// saves and the HTML report draws). Matrices are [source class][target class], in the order of <see cref="ClassNames"/>;
/// NaN where nothing was measured.
/// </summary>
public sealed record RobustnessSummary(
    string Model,
    int Rows,
    IReadOnlyList<string> ClassNames,
    double CleanAccuracy,
    RobustnessIndexSummary? Index,
    IReadOnlyList<EpsilonCurveSummary> EpsilonCurves,
    PixelSensitivitySummary? PixelChanges,
    PixelRestoreSummary? Restore)
{
    /// <summary>The robustness index recorded during training, when a monitor ran.</summary>
    public IReadOnlyList<RobustnessRecord> Training { get; init; } = Array.Empty<RobustnessRecord>();
}

/// <summary>The robustness index and its two matrices (Ding and Moeller; the index is MLRobust's definition, see
/// <see cref="RobustnessIndex"/>).</summary>
public sealed record RobustnessIndexSummary(
    double Index,
    IReadOnlyList<string> Classes,
    double[] ClassIndex,
    int FgsmCases,
    double FgsmSuccessRate,
    double MeanFgsmMae,
    double MeanFgsmSteps,
    double[][] FgsmMae,
    double[][] FgsmSteps,
    int InterpolationCases,
    double MeanSwitchThreshold,
    double MeanThresholdSum,
    double PopUpRate,
    double[][] SwitchThreshold,
    double[][] PopUpRates);

/// <summary>Accuracy of one attack over an ε grid (in [0, 1] units and in grey levels).</summary>
public sealed record EpsilonCurveSummary(string Attack, double[] Epsilon, double[] EpsilonGreyLevels, double[] Accuracy, int Samples);

/// <summary>One setting of the pixel-change sweep: misclassification rate w among clean-correct images and the Pixel-index.</summary>
public sealed record PixelSettingSummary(int Count, int Range, int AreaSide, double MisclassificationRate, double PixelIndex, long Trials);

public sealed record PixelSensitivitySummary(int ImageHeight, int ImageWidth, int CleanCorrect, IReadOnlyList<PixelSettingSummary> Settings);

/// <summary>How many FGSM adversarial images random pixel changes turn back to the right class, per setting.</summary>
public sealed record PixelRestoreSummary(double Epsilon, int Adversarial, IReadOnlyList<PixelRestoreSettingSummary> Settings);

public sealed record PixelRestoreSettingSummary(int Count, int Range, int AreaSide, double RestoreRate);
