using Microsoft.ML;
using MLRobust.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Robustness;

/// <summary>One targeted-FGSM case: a selected image of class A attacked towards class B. A record of plain fields, so that
/// <c>MLContext.Data.LoadFromEnumerable</c> reads it.</summary>
public sealed class TargetedFgsmCase
{
    /// <summary>Row of the attacked image in the images given.</summary>
    public long SourceRow { get; init; }

    public int SourceClass { get; init; }

    public int TargetClass { get; init; }

    public string SourceClassName { get; init; } = "";

    public string TargetClassName { get; init; } = "";

    /// <summary>Whether the attacked image is predicted as the target.</summary>
    public bool Success { get; init; }

    /// <summary>Steps of one grey level taken: the first that reached the target, or the step budget when none did.</summary>
    public int Steps { get; init; }

    /// <summary>Mean |x* − x| over the C·H·W values, in grey levels (on [0, 255] images: the paper's MAE).</summary>
    public double Mae { get; init; }

    /// <summary>The model's prediction of the attacked image.</summary>
    public int FinalPrediction { get; init; }
}

/// <summary>The outcome of <see cref="TargetedFgsmAnalysis"/>: per-case records and per-(source class, target class) matrices
/// (rows and columns follow <see cref="ClassNames"/>; NaN where no case, or no successful case, exists).</summary>
public sealed class TargetedFgsmAnalysisResult
{
    internal TargetedFgsmAnalysisResult(CaseSelection selection, int maxSteps, IReadOnlyList<TargetedFgsmCase> cases)
    {
        Selection = selection;
        MaxSteps = maxSteps;
        Cases = cases;
        var k = selection.Classes.Length;
        (int, int) Cell(TargetedFgsmCase c) => (selection.PositionOf(c.SourceClass), selection.PositionOf(c.TargetClass));
        MeanMae = ClassMatrix.MeanPerCell(cases, k, Cell, c => c.Mae, c => c.Success);
        MeanSteps = ClassMatrix.MeanPerCell(cases, k, Cell, c => c.Steps, c => c.Success);
        SuccessRate = ClassMatrix.MeanPerCell(cases, k, Cell, c => c.Success ? 1.0 : 0.0);
        CaseCounts = ClassMatrix.CountPerCell(cases, k, Cell);
    }

    public CaseSelection Selection { get; }

    public string[] ClassNames => Selection.ClassNames;

    public int MaxSteps { get; }

    /// <summary>Every selected image towards every other analysed class, by image (selection order) then target class.</summary>
    public IReadOnlyList<TargetedFgsmCase> Cases { get; }

    public int CaseCount => Cases.Count;

    /// <summary>[source, target]: mean MAE (grey levels) of the successful cases (Ding and Moeller's matrix).</summary>
    public double[,] MeanMae { get; }

    /// <summary>[source, target]: mean steps of the successful cases.</summary>
    public double[,] MeanSteps { get; }

    /// <summary>[source, target]: fraction of cases that reached the target within the step budget.</summary>
    public double[,] SuccessRate { get; }

    /// <summary>[source, target]: number of cases.</summary>
    public int[,] CaseCounts { get; }

    /// <summary>Mean MAE (grey levels) over all successful cases.</summary>
    public double MeanMaeOverall => ClassMatrix.Mean(Cases.Where(c => c.Success).Select(c => c.Mae));

    /// <summary>Mean steps over all successful cases.</summary>
    public double MeanStepsOverall => ClassMatrix.Mean(Cases.Where(c => c.Success).Select(c => (double)c.Steps));

    /// <summary>Fraction of all cases that succeeded.</summary>
    public double OverallSuccessRate => CaseCount == 0 ? double.NaN : Cases.Count(c => c.Success) / (double)CaseCount;

    /// <summary>The cases as an ML.NET data view (one row per case).</summary>
    public IDataView ToDataView(MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(ml);
        return ml.Data.LoadFromEnumerable(Cases);
    }
}

/// <summary>
/// Ding and Moeller's targeted-FGSM analysis (PAPERS.md §2): each selected image of class A is attacked towards every other
/// analysed class B with the targeted iterative FGSM until it is classified as B, x*ₙ = clip(x*ₙ₋₁ − α·sign(∇ₓJ(x*ₙ₋₁, B))),
/// α = one grey level, clipped to the model's range ([0, 255] in the paper), at most
/// <see cref="TargetedFgsmAnalysisOptions.MaxSteps"/> steps; per case the steps and the MAE. 7 classes × 10 images gives the
/// paper's 70 × 6 = 420 cases. All cases run as batches of <see cref="CaseSelectionOptions.BatchSize"/> with per-case stopping
/// (<see cref="IterativeFgsm"/>).
/// </summary>
public static class TargetedFgsmAnalysis
{
    /// <summary>Selects the cases (<see cref="CaseSelection"/>) and attacks them.</summary>
    public static TargetedFgsmAnalysisResult Run(IAttackTarget model, Tensor images, Tensor labels, TargetedFgsmAnalysisOptions? options = null)
    {
        options ??= new TargetedFgsmAnalysisOptions();
        options.Validate();
        return Run(model, images, CaseSelection.Select(model, images, labels, options), options);
    }

    /// <summary>Attacks the cases of an existing <paramref name="selection"/> of <paramref name="images"/>.</summary>
    public static TargetedFgsmAnalysisResult Run(IAttackTarget model, Tensor images, CaseSelection selection, TargetedFgsmAnalysisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(selection);
        options ??= new TargetedFgsmAnalysisOptions();
        options.Validate();
        var range = options.RangeOf(model);
        var rows = new List<long>();
        var sources = new List<int>();
        var targets = new List<int>();
        for (var i = 0; i < selection.Count; i++)
            foreach (var target in selection.Classes)
                if (target != selection.RowClasses[i])
                {
                    rows.Add(selection.Rows[i]);
                    sources.Add(selection.RowClasses[i]);
                    targets.Add(target);
                }
        var count = rows.Count;
        var success = new bool[count];
        var steps = new int[count];
        var mae = new double[count];
        var final = new long[count];
        var attack = new IterativeFgsm(model, new IterativeFgsmOptions { Target = TargetSelection.Given, MaxSteps = options.MaxSteps, Range = options.Range });
        for (var start = 0; start < count; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(options.BatchSize, count - start);
            var x = images.detach().to_type(ScalarType.Float32);
            var batch = x.index_select(0, tensor(rows.GetRange(start, n).ToArray(), device: x.device));
            var labels = tensor(sources.GetRange(start, n).Select(c => (long)c).ToArray(), device: x.device);
            var goals = tensor(targets.GetRange(start, n).Select(c => (long)c).ToArray(), device: x.device);
            // Sample ids = case numbers, so that the cases do not depend on the batch size.
            using var result = attack.Run(batch, labels, goals, Enumerable.Range(start, n).Select(i => (long)i).ToArray());
            // The paper's MAE, (1/N)·Σ|x* − x| over N = C·H·W values, in grey levels (no SSIM and norms needed here).
            double[] batchMae;
            using (no_grad())
                batchMae = (result.Adversarial - batch).to_type(ScalarType.Float64).abs().reshape(n, -1).mean(new long[] { 1 }).div(HeldScalars.Held(range.GreyLevel)).cpu().data<double>().ToArray();
            for (var k = 0; k < n; k++)
            {
                success[start + k] = result.Success[k];
                steps[start + k] = result.Steps[k];
                mae[start + k] = batchMae[k];
                final[start + k] = result.Predictions[k];
            }
        }
        var cases = Enumerable.Range(0, count).Select(i => new TargetedFgsmCase
        {
            SourceRow = rows[i],
            SourceClass = sources[i],
            TargetClass = targets[i],
            SourceClassName = selection.ClassNames[selection.PositionOf(sources[i])],
            TargetClassName = selection.ClassNames[selection.PositionOf(targets[i])],
            Success = success[i],
            Steps = steps[i],
            Mae = mae[i],
            FinalPrediction = (int)final[i],
        }).ToArray();
        return new TargetedFgsmAnalysisResult(selection, options.MaxSteps, cases);
    }
}
