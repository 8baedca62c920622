using Microsoft.ML;

namespace MLRobust.Robustness;

/// <summary>
/// What <c>ml.MulticlassClassification.EvaluateRobustness</c> measured: the full results of each analysis, their numbers as
/// plain data (<see cref="Summary"/>), and per-class and per-sample detail as ML.NET data views.
/// </summary>
public sealed class RobustnessMetrics
{
    private readonly MLContext _ml;

    internal RobustnessMetrics(MLContext ml, RobustnessSummary summary, long[] labels, long[] predictions, long[] rows,
        RobustnessIndexResult? index, IReadOnlyList<EpsilonCurve> curves, PixelSensitivityResult? pixels, PixelRestoreResult? restore)
    {
        _ml = ml;
        Summary = summary;
        Labels = labels;
        CleanPredictions = predictions;
        Rows = rows;
        Index = index;
        EpsilonCurves = curves;
        PixelChanges = pixels;
        Restore = restore;
    }

    /// <summary>Every number, as plain data (JSON, reports).</summary>
    public RobustnessSummary Summary { get; }

    public double CleanAccuracy => Summary.CleanAccuracy;

    public IReadOnlyList<string> ClassNames => Summary.ClassNames;

    /// <summary>The robustness index with its case-by-case analyses; null when not measured.</summary>
    public RobustnessIndexResult? Index { get; }

    public IReadOnlyList<EpsilonCurve> EpsilonCurves { get; }

    public PixelSensitivityResult? PixelChanges { get; }

    public PixelRestoreResult? Restore { get; }

    /// <summary>The rows evaluated (positions in the data view), their classes and the model's clean predictions.</summary>
    public IReadOnlyList<long> Rows { get; }

    public IReadOnlyList<long> Labels { get; }

    public IReadOnlyList<long> CleanPredictions { get; }

    /// <summary>One row per class: rows, clean recall, the class's robustness index, mean FGSM MAE and mean switch threshold
    /// as source class, and the pop-up rate of its interpolation cases.</summary>
    public IDataView PerClass
    {
        get
        {
            var rows = new List<RobustnessClassRow>();
            for (var c = 0; c < ClassNames.Count; c++)
            {
                var count = Labels.Count(l => l == c);
                var correct = Labels.Where((l, i) => l == c && CleanPredictions[i] == c).Count();
                var row = new RobustnessClassRow
                {
                    Class = ClassNames[c], Rows = count, CleanRecall = count == 0 ? double.NaN : correct / (double)count,
                    Index = double.NaN, MeanFgsmMae = double.NaN, MeanFgsmSteps = double.NaN, MeanSwitchThreshold = double.NaN, PopUpRate = double.NaN,
                };
                if (Summary.Index is { } s && s.Classes.ToList().IndexOf(ClassNames[c]) is var k and >= 0)
                {
                    row.Index = s.ClassIndex[k];
                    row.MeanFgsmMae = RowMean(s.FgsmMae, k);
                    row.MeanFgsmSteps = RowMean(s.FgsmSteps, k);
                    row.MeanSwitchThreshold = RowMean(s.SwitchThreshold, k);
                    row.PopUpRate = RowMean(s.PopUpRates, k);
                }
                rows.Add(row);
            }
            return _ml.Data.LoadFromEnumerable(rows);
        }
    }

    private static double RowMean(double[][] matrix, int row)
    {
        var finite = matrix[row].Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }

    /// <summary>One row per (image, attack, ε) of the ε sweeps: the row, its class, the prediction and whether it is right.</summary>
    public IDataView PerSample =>
        _ml.Data.LoadFromEnumerable(EpsilonCurves.SelectMany(curve => curve.Samples.Select(s => new RobustnessSampleRow
        {
            Row = s.Row, Attack = curve.AttackName, Epsilon = s.EpsilonUnit, EpsilonGreyLevels = s.EpsilonGreyLevels, Label = s.Label,
            CleanPrediction = s.CleanPrediction, Prediction = s.Prediction, Correct = s.Correct,
        })).ToList());
}

/// <summary>A row of <see cref="RobustnessMetrics.PerClass"/>.</summary>
public sealed class RobustnessClassRow
{
    public string Class { get; set; } = "";
    public int Rows { get; set; }
    public double CleanRecall { get; set; }
    public double Index { get; set; }
    public double MeanFgsmMae { get; set; }
    public double MeanFgsmSteps { get; set; }
    public double MeanSwitchThreshold { get; set; }
    public double PopUpRate { get; set; }
}

/// <summary>A row of <see cref="RobustnessMetrics.PerSample"/>.</summary>
public sealed class RobustnessSampleRow
{
    public long Row { get; set; }
    public string Attack { get; set; } = "";
    public double Epsilon { get; set; }
    public double EpsilonGreyLevels { get; set; }
    public long Label { get; set; }
    public long CleanPrediction { get; set; }
    public long Prediction { get; set; }
    public bool Correct { get; set; }
}
