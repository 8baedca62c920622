namespace MLRobust.Attacks;

/// <summary>Per image pair (A of class a, B of class b), what the model predicts along x*(T) = (1 − T)·A + T·B.</summary>
public sealed class InterpolationResult
{
    internal InterpolationResult(double[] grid, long[][] forward, long[][] backward, long[] labelsA, long[] labelsB)
    {
        Grid = grid;
        ForwardPredictions = forward;
        BackwardPredictions = backward;
        var n = labelsA.Length;
        SwitchThreshold = new double[n];
        ReverseThreshold = new double[n];
        ThresholdSum = new double[n];
        PopUpClasses = new long[n][];
        for (var i = 0; i < n; i++)
        {
            SwitchThreshold[i] = First(grid, forward[i], labelsB[i]);
            ReverseThreshold[i] = First(grid, backward[i], labelsA[i]);
            ThresholdSum[i] = SwitchThreshold[i] + ReverseThreshold[i];
            var a = labelsA[i];
            var b = labelsB[i];
            PopUpClasses[i] = forward[i].Concat(backward[i]).Where(p => p != a && p != b).Distinct().ToArray();
        }
    }

    /// <summary>The values of T.</summary>
    public double[] Grid { get; }

    /// <summary>Predictions along A→B, one per value of T.</summary>
    public long[][] ForwardPredictions { get; }

    /// <summary>Predictions along B→A: x = (1 − T)·B + T·A.</summary>
    public long[][] BackwardPredictions { get; }

    /// <summary>The class switch threshold A→B: the first T predicted as b (NaN when none is).</summary>
    public double[] SwitchThreshold { get; }

    /// <summary>The threshold B→A: the first T of the reverse sweep predicted as a.</summary>
    public double[] ReverseThreshold { get; }

    /// <summary>A→B plus B→A (ideally 1; Ding and Moeller observed 1.10).</summary>
    public double[] ThresholdSum { get; }

    /// <summary>Classes other than a and b met on either sweep ("pop-up" classes), in order of appearance.</summary>
    public long[][] PopUpClasses { get; }

    public bool HasPopUp(int pair) => PopUpClasses[pair].Length > 0;

    public int Count => SwitchThreshold.Length;

    private static double First(double[] grid, long[] predictions, long label)
    {
        var k = Array.IndexOf(predictions, label);
        return k < 0 ? double.NaN : grid[k];
    }
}
