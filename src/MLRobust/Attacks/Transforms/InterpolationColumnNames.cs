namespace MLRobust.Attacks;

/// <summary>The columns the interpolation transform adds (each with its column prefix).</summary>
public static class InterpolationColumnNames
{
    /// <summary>Single: the first T of the A→B sweep predicted as B's class (NaN when none is).</summary>
    public const string SwitchThreshold = "SwitchThreshold";

    /// <summary>Single: the first T of the B→A sweep predicted as A's class.</summary>
    public const string ReverseThreshold = "ReverseThreshold";

    /// <summary>Single: the sum of both thresholds (ideally 1).</summary>
    public const string ThresholdSum = "ThresholdSum";

    /// <summary>Boolean: a third class appeared on either sweep.</summary>
    public const string PopUp = "PopUp";

    /// <summary>Variable vector of keys: the pop-up classes, in order of appearance.</summary>
    public const string PopUpClasses = "PopUpClasses";

    /// <summary>Vector of keys: the prediction at every T of the A→B sweep.</summary>
    public const string SweepPredictions = "SweepPredictions";
}
