using MLRobust.Attacks;
using static TorchSharp.torch;

namespace MLRobust.Robustness;

/// <summary>
/// MLRobust's robustness index (Ding and Moeller name an index formed from their two matrices but give no formula; this
/// definition is MLRobust's). Both analyses yield, per (source class A, target class B), the mean absolute change — in grey
/// levels — of an image of A that the model assigns to B:
/// <list type="bullet">
/// <item><description>F[A, B], targeted iterative FGSM: the mean MAE of its successful cases (the smallest change along the gradient, a worst case);</description></item>
/// <item><description>S[A, B], interpolation: the mean switch MAE, threshold T × MAE(A image, B image), since x*(T) − A = T·(B − A)
/// (the change along the straight path towards a real image of B, a natural case).</description></item>
/// </list>
/// The index is the geometric mean of the two, as a fraction of the range: <c>index = √(F̄ · S̄) / 255</c>, with F̄ and S̄ the
/// means over the finite cells of F and S (each ordered class pair weighs the same). It lies in [0, 1], higher is more robust;
/// being a geometric mean, a relative change of either component moves it by half that relative change, so neither the
/// (small) gradient MAE nor the (large) interpolation MAE dominates. Using the switch MAE rather than the bare threshold keeps both
/// factors in one unit; the threshold alone averages near 0.5 for any model, since threshold(A→B) + threshold(B→A) ≈ 1.
/// Per class A: the same of row A's means; per cell: √(F[A, B]·S[A, B]) / 255. NaN where a factor has no finite cell.
/// </summary>
public static class RobustnessIndex
{
    /// <summary>Selects up to <see cref="CaseSelectionOptions.ImagesPerClass"/> correctly classified images per class of
    /// <paramref name="images"/> [N, C, H, W] (labels [N]) once, runs both analyses on them and forms the index.</summary>
    public static RobustnessIndexResult Compute(IAttackTarget model, Tensor images, Tensor labels, RobustnessIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new RobustnessIndexOptions();
        options.Validate();
        var selection = CaseSelection.Select(model, images, labels, options);
        var interpolation = InterpolationAnalysis.Run(model, images, selection, options.ForInterpolation());
        var fgsm = TargetedFgsmAnalysis.Run(model, images, selection, options.ForFgsm());
        return new RobustnessIndexResult(selection, interpolation, fgsm);
    }

    /// <summary>The index from an FGSM mean-MAE matrix and an interpolation mean-switch-MAE matrix (both K×K, grey levels).</summary>
    public static double FromMatrices(double[,] fgsmMae, double[,] switchMae)
    {
        CheckShapes(fgsmMae, switchMae);
        return Combine(ClassMatrix.MeanOfCells(fgsmMae), ClassMatrix.MeanOfCells(switchMae));
    }

    /// <summary>The index of each source class (row).</summary>
    public static double[] PerClass(double[,] fgsmMae, double[,] switchMae)
    {
        CheckShapes(fgsmMae, switchMae);
        return Enumerable.Range(0, fgsmMae.GetLength(0)).Select(a => Combine(ClassMatrix.MeanOfRow(fgsmMae, a), ClassMatrix.MeanOfRow(switchMae, a))).ToArray();
    }

    /// <summary>The index of each (source, target) cell.</summary>
    public static double[,] PerCell(double[,] fgsmMae, double[,] switchMae)
    {
        CheckShapes(fgsmMae, switchMae);
        var k = fgsmMae.GetLength(0);
        var cells = new double[k, k];
        for (var a = 0; a < k; a++)
        for (var b = 0; b < k; b++)
            cells[a, b] = Combine(fgsmMae[a, b], switchMae[a, b]);
        return cells;
    }

    /// <summary>√(f · s) / 255 for grey-level MAEs; NaN when either is not finite.</summary>
    public static double Combine(double fgsmMae, double switchMae) =>
        double.IsFinite(fgsmMae) && double.IsFinite(switchMae) ? Math.Sqrt(Math.Max(0, fgsmMae) * Math.Max(0, switchMae)) / 255.0 : double.NaN;

    private static void CheckShapes(double[,] f, double[,] s)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(s);
        if (f.GetLength(0) != f.GetLength(1) || f.GetLength(0) != s.GetLength(0) || f.GetLength(1) != s.GetLength(1))
            throw new ArgumentException($"both matrices must be K×K of the same K; got {f.GetLength(0)}×{f.GetLength(1)} and {s.GetLength(0)}×{s.GetLength(1)}");
    }
}

/// <summary>The robustness index of a model on a set of images, with both analyses it is formed from.</summary>
public sealed class RobustnessIndexResult
{
    internal RobustnessIndexResult(CaseSelection selection, InterpolationAnalysisResult interpolation, TargetedFgsmAnalysisResult fgsm)
    {
        Selection = selection;
        Interpolation = interpolation;
        TargetedFgsm = fgsm;
        Index = RobustnessIndex.FromMatrices(fgsm.MeanMae, interpolation.MeanSwitchMae);
        ClassIndex = RobustnessIndex.PerClass(fgsm.MeanMae, interpolation.MeanSwitchMae);
        CellIndex = RobustnessIndex.PerCell(fgsm.MeanMae, interpolation.MeanSwitchMae);
    }

    /// <summary>See <see cref="RobustnessIndex"/>: √(F̄ · S̄) / 255, in [0, 1], higher is more robust.</summary>
    public double Index { get; }

    /// <summary>The index per source class (aligned with <see cref="ClassNames"/>).</summary>
    public double[] ClassIndex { get; }

    /// <summary>[source, target] index.</summary>
    public double[,] CellIndex { get; }

    public string[] ClassNames => Selection.ClassNames;

    public CaseSelection Selection { get; }

    public InterpolationAnalysisResult Interpolation { get; }

    public TargetedFgsmAnalysisResult TargetedFgsm { get; }

    /// <summary>The paper's FGSM matrix: [source, target] mean MAE of the successful cases, grey levels.</summary>
    public double[,] FgsmMaeMatrix => TargetedFgsm.MeanMae;

    /// <summary>The paper's interpolation matrix: [source, target] mean switch threshold.</summary>
    public double[,] ThresholdMatrix => Interpolation.MeanThreshold;

    /// <summary>Accuracy on all images given.</summary>
    public double CleanAccuracy => Selection.CleanAccuracy;

    /// <summary>Mean FGSM MAE (grey levels) over the successful cases.</summary>
    public double MeanMae => TargetedFgsm.MeanMaeOverall;

    public double MeanSwitchThreshold => Interpolation.MeanSwitchThreshold;

    public double MeanSwitchMae => Interpolation.MeanSwitchMaeOverall;
}
