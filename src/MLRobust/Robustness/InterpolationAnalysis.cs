using Microsoft.ML;
using MLRobust.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Robustness;

/// <summary>One interpolation case: the sweep x*(T) = (1 − T)·source + T·target between two selected images of different classes.
/// A record of plain fields, so that <c>MLContext.Data.LoadFromEnumerable</c> reads it.</summary>
public sealed class InterpolationCase
{
    /// <summary>Row of the source image (class A) in the images given.</summary>
    public long SourceRow { get; init; }

    /// <summary>Row of the target image (class B).</summary>
    public long TargetRow { get; init; }

    /// <summary>Model class index of the source image.</summary>
    public int SourceClass { get; init; }

    public int TargetClass { get; init; }

    public string SourceClassName { get; init; } = "";

    public string TargetClassName { get; init; } = "";

    /// <summary>The class switch threshold: the first grid T whose image the model assigns to the target class; NaN when none is.</summary>
    public double Threshold { get; init; }

    /// <summary>Mean |target − source| over the C·H·W values, in grey levels (1/255 of the range width).</summary>
    public double PairMae { get; init; }

    /// <summary>The MAE of the first image predicted as the target, from the source: x*(T) − source = T·(target − source), so
    /// <see cref="Threshold"/> · <see cref="PairMae"/> grey levels; NaN when the sweep never reaches the target.</summary>
    public double SwitchMae { get; init; }

    /// <summary>Whether some image of this sweep is predicted as a class that is neither the source's nor the target's.</summary>
    public bool HasPopUp { get; init; }

    /// <summary>Those classes, distinct, in order of appearance along the sweep.</summary>
    public int[] PopUpClasses { get; init; } = Array.Empty<int>();
}

/// <summary>The outcome of <see cref="InterpolationAnalysis"/>: per-case records and per-(source class, target class) matrices
/// (rows and columns follow <see cref="ClassNames"/>; NaN where no case exists).</summary>
public sealed class InterpolationAnalysisResult
{
    internal InterpolationAnalysisResult(CaseSelection selection, int steps, IReadOnlyList<InterpolationCase> cases, int pairs, double meanThresholdSum)
    {
        Selection = selection;
        Steps = steps;
        Cases = cases;
        var k = selection.Classes.Length;
        (int, int) Cell(InterpolationCase c) => (selection.PositionOf(c.SourceClass), selection.PositionOf(c.TargetClass));
        MeanThreshold = ClassMatrix.MeanPerCell(cases, k, Cell, c => c.Threshold);
        MeanSwitchMae = ClassMatrix.MeanPerCell(cases, k, Cell, c => c.SwitchMae);
        PopUpRate = ClassMatrix.MeanPerCell(cases, k, Cell, c => c.HasPopUp ? 1.0 : 0.0);
        CaseCounts = ClassMatrix.CountPerCell(cases, k, Cell);
        PairCount = pairs;
        MeanThresholdSum = meanThresholdSum;
    }

    public CaseSelection Selection { get; }

    /// <summary>Names of the matrix rows (source classes) and columns (target classes).</summary>
    public string[] ClassNames => Selection.ClassNames;

    /// <summary>Values of T per sweep.</summary>
    public int Steps { get; }

    /// <summary>Every ordered pair of selected images of different classes, by source then target in selection order.</summary>
    public IReadOnlyList<InterpolationCase> Cases { get; }

    public int CaseCount => Cases.Count;

    /// <summary>Unordered pairs whose two directions both reached their target (the pairs <see cref="MeanThresholdSum"/> averages).</summary>
    public int PairCount { get; }

    /// <summary>[source, target]: mean switch threshold (Ding and Moeller's matrix).</summary>
    public double[,] MeanThreshold { get; }

    /// <summary>[source, target]: mean <see cref="InterpolationCase.SwitchMae"/>, in grey levels.</summary>
    public double[,] MeanSwitchMae { get; }

    /// <summary>[source, target]: fraction of cases with a pop-up class.</summary>
    public double[,] PopUpRate { get; }

    /// <summary>[source, target]: number of cases.</summary>
    public int[,] CaseCounts { get; }

    /// <summary>Mean threshold over all cases that reached their target.</summary>
    public double MeanSwitchThreshold => ClassMatrix.Mean(Cases.Select(c => c.Threshold));

    /// <summary>Mean switch MAE (grey levels) over all cases that reached their target.</summary>
    public double MeanSwitchMaeOverall => ClassMatrix.Mean(Cases.Select(c => c.SwitchMae));

    /// <summary>Mean over unordered pairs of threshold(A→B) + threshold(B→A): ideally 1 (the paper observed 1.10); NaN without pairs.</summary>
    public double MeanThresholdSum { get; }

    /// <summary>Cases with a pop-up class.</summary>
    public int PopUpCaseCount => Cases.Count(c => c.HasPopUp);

    /// <summary>Fraction of cases (ordered, one per sweep direction) whose sweep meets a third class; the paper: about 1/3.</summary>
    public double OverallPopUpRate => CaseCount == 0 ? double.NaN : PopUpCaseCount / (double)CaseCount;

    /// <summary>The cases as an ML.NET data view (one row per case).</summary>
    public IDataView ToDataView(MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(ml);
        return ml.Data.LoadFromEnumerable(Cases);
    }
}

/// <summary>
/// Ding and Moeller's interpolation analysis (PAPERS.md §2): for every ordered pair (A, B) of selected images of different
/// classes, the sweep x*(T) = (1 − T)·A + T·B at <see cref="InterpolationAnalysisOptions.Steps"/> evenly spaced T in [0, 1], the
/// class switch threshold (first T predicted as B's class) and the classes met that are neither A's nor B's ("pop-ups").
/// The paper's setup (7 classes × 10 images) gives 10 × 60 × 7 = 4,200 cases. Each unordered pair is swept once in each
/// direction by <see cref="LinearInterpolation"/>, all pairs × steps batched. A case has a pop-up when any image of its own
/// sweep is predicted as a third class (None included); since the grid is symmetric, both directions of a pair evaluate the
/// same images up to float rounding, so they agree on pop-ups, while their thresholds differ.
/// </summary>
public static class InterpolationAnalysis
{
    /// <summary>Selects the cases (<see cref="CaseSelection"/>) and sweeps them.</summary>
    public static InterpolationAnalysisResult Run(IAttackTarget model, Tensor images, Tensor labels, InterpolationAnalysisOptions? options = null)
    {
        options ??= new InterpolationAnalysisOptions();
        options.Validate();
        return Run(model, images, CaseSelection.Select(model, images, labels, options), options);
    }

    /// <summary>Sweeps the cases of an existing <paramref name="selection"/> of <paramref name="images"/>.</summary>
    public static InterpolationAnalysisResult Run(IAttackTarget model, Tensor images, CaseSelection selection, InterpolationAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(selection);
        options ??= new InterpolationAnalysisOptions();
        options.Validate();
        var range = options.RangeOf(model);
        var m = selection.Count;
        var first = new List<int>();
        var second = new List<int>();
        for (var i = 0; i < m; i++)
        for (var j = i + 1; j < m; j++)
            if (selection.RowClasses[i] != selection.RowClasses[j])
            {
                first.Add(i);
                second.Add(j);
            }
        var pairs = first.Count;
        if (pairs == 0) return new InterpolationAnalysisResult(selection, options.Steps, Array.Empty<InterpolationCase>(), 0, double.NaN);

        // Pairs go through LinearInterpolation in chunks of BatchSize pairs, so that only a chunk's image copies are held at once
        // (the paper's 2,100 pairs of 227×227×3 images would take over 2 GB); each chunk's sweeps are batched over pairs × steps.
        var forwardPredictions = new long[pairs][];
        var backwardPredictions = new long[pairs][];
        var forwardThreshold = new double[pairs];
        var backwardThreshold = new double[pairs];
        var pairMae = new double[pairs];
        var sweeper = new LinearInterpolation(model, new InterpolationOptions { Steps = options.Steps, BatchSize = options.BatchSize });
        for (var start = 0; start < pairs; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(options.BatchSize, pairs - start);
            var x = images.detach().to_type(ScalarType.Float32);
            var a = x.index_select(0, tensor(first.GetRange(start, n).Select(i => selection.Rows[i]).ToArray(), device: x.device));
            var b = x.index_select(0, tensor(second.GetRange(start, n).Select(j => selection.Rows[j]).ToArray(), device: x.device));
            var la = tensor(first.GetRange(start, n).Select(i => (long)selection.RowClasses[i]).ToArray());
            var lb = tensor(second.GetRange(start, n).Select(j => (long)selection.RowClasses[j]).ToArray());
            var sweeps = sweeper.Run(a, la, b, lb);
            double[] mae;
            using (no_grad())
                mae = (b - a).to_type(ScalarType.Float64).abs().reshape(n, -1).mean(new long[] { 1 }).div(HeldScalars.Held(range.GreyLevel)).cpu().data<double>().ToArray();
            for (var k = 0; k < n; k++)
            {
                forwardPredictions[start + k] = sweeps.ForwardPredictions[k];
                backwardPredictions[start + k] = sweeps.BackwardPredictions[k];
                forwardThreshold[start + k] = sweeps.SwitchThreshold[k];
                backwardThreshold[start + k] = sweeps.ReverseThreshold[k];
                pairMae[start + k] = mae[k];
            }
        }

        // Case (i → j) for every ordered pair, in selection order: the forward sweep of pair p when i < j, its backward sweep otherwise.
        var pairOf = new Dictionary<(int, int), int>(pairs);
        for (var p = 0; p < pairs; p++) pairOf[(first[p], second[p])] = p;
        var cases = new List<InterpolationCase>(2 * pairs);
        for (var i = 0; i < m; i++)
        for (var j = 0; j < m; j++)
        {
            if (selection.RowClasses[i] == selection.RowClasses[j]) continue;
            var forward = i < j;
            var p = forward ? pairOf[(i, j)] : pairOf[(j, i)];
            var threshold = forward ? forwardThreshold[p] : backwardThreshold[p];
            var predictions = forward ? forwardPredictions[p] : backwardPredictions[p];
            var (source, target) = (selection.RowClasses[i], selection.RowClasses[j]);
            var popUps = predictions.Where(c => c != source && c != target).Distinct().Select(c => (int)c).ToArray();
            cases.Add(new InterpolationCase
            {
                SourceRow = selection.Rows[i],
                TargetRow = selection.Rows[j],
                SourceClass = source,
                TargetClass = target,
                SourceClassName = selection.ClassNames[selection.PositionOf(source)],
                TargetClassName = selection.ClassNames[selection.PositionOf(target)],
                Threshold = threshold,
                PairMae = pairMae[p],
                SwitchMae = threshold * pairMae[p],
                HasPopUp = popUps.Length > 0,
                PopUpClasses = popUps,
            });
        }
        var sums = Enumerable.Range(0, pairs).Select(p => forwardThreshold[p] + backwardThreshold[p]).Where(double.IsFinite).ToArray();
        return new InterpolationAnalysisResult(selection, options.Steps, cases, sums.Length, sums.Length == 0 ? double.NaN : sums.Average());
    }
}
