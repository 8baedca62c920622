using System.Globalization;
using MLRobust.Robustness;

namespace MLRobust.Reporting;

/// <summary>The pictures of a robustness evaluation, drawn from its plain-data summary (so a saved JSON redraws them).</summary>
public static class RobustnessCharts
{
    /// <summary>Accuracy against ε (grey levels) of every attack of every summary.</summary>
    public static LineChart AccuracyAgainstEpsilon(IEnumerable<RobustnessSummary> summaries)
    {
        var chart = new LineChart { Title = "Accuracy against ε", XLabel = "ε (grey levels; ÷255 for [0, 1] units)", YLabel = "accuracy", YMin = 0, YMax = 1 };
        foreach (var s in summaries)
            foreach (var c in s.EpsilonCurves)
                chart.Add($"{s.Model}: {c.Attack}", c.EpsilonGreyLevels, c.Accuracy);
        return chart;
    }

    /// <summary>Mean MAE (grey levels) of the targeted iterative FGSM, source → target.</summary>
    public static HeatMap FgsmMae(RobustnessSummary s) => Matrix(s, i => i.FgsmMae, $"{s.Model}: mean MAE to flip (targeted FGSM)", "0.0");

    /// <summary>Mean class switch threshold T of the interpolation, source → target.</summary>
    public static HeatMap SwitchThreshold(RobustnessSummary s) => Matrix(s, i => i.SwitchThreshold, $"{s.Model}: mean switch threshold T", "0.00");

    /// <summary>Share of interpolation cases that meet a third class, source → target.</summary>
    public static HeatMap PopUpRate(RobustnessSummary s) => Matrix(s, i => i.PopUpRates, $"{s.Model}: pop-up rate", "0.00");

    /// <summary>The robustness index of held-out images as training went (its own axis, so that its changes show).</summary>
    public static LineChart TrainingIndex(string model, IReadOnlyList<RobustnessRecord> records)
    {
        var chart = new LineChart { Title = $"{model}: robustness index over training", XLabel = "iteration", YLabel = "robustness index" };
        chart.Add("robustness index", records.Select(r => (double)r.Iteration).ToArray(), records.Select(r => r.Index).ToArray());
        return chart;
    }

    /// <summary>Clean accuracy of the held-out images and the pop-up rate as training went.</summary>
    public static LineChart TrainingAccuracy(string model, IReadOnlyList<RobustnessRecord> records)
    {
        var chart = new LineChart { Title = $"{model}: held-out accuracy and pop-up rate over training", XLabel = "iteration", YLabel = "share", YMin = 0, YMax = 1 };
        var x = records.Select(r => (double)r.Iteration).ToArray();
        chart.Add("clean accuracy", x, records.Select(r => r.CleanAccuracy).ToArray());
        chart.Add("pop-up rate", x, records.Select(r => r.PopUpRate).ToArray());
        return chart;
    }

    /// <summary>Misclassification rate w against the number of changed pixels, one line per change range, for one area.</summary>
    public static LineChart PixelChanges(RobustnessSummary s, int areaSide)
    {
        var p = s.PixelChanges ?? throw new ArgumentException($"The evaluation of {s.Model} has no pixel-change sweep.", nameof(s));
        var area = areaSide == PixelSensitivityOptions.WholeImage ? "whole image" : $"centred {areaSide}×{areaSide}";
        var chart = new LineChart { Title = $"{s.Model}: random pixel changes ({area})", XLabel = "changed pixels", YLabel = "misclassified share w", YMin = 0 };
        foreach (var range in p.Settings.Where(x => x.AreaSide == areaSide).Select(x => x.Range).Distinct().OrderBy(r => r))
        {
            var points = p.Settings.Where(x => x.AreaSide == areaSide && x.Range == range).OrderBy(x => x.Count).ToList();
            chart.Add(range == PixelSensitivityOptions.FullRange ? "any value" : $"±{range.ToString(CultureInfo.InvariantCulture)}",
                points.Select(x => (double)x.Count).ToArray(), points.Select(x => x.MisclassificationRate).ToArray());
        }
        return chart;
    }

    private static HeatMap Matrix(RobustnessSummary s, Func<RobustnessIndexSummary, double[][]> pick, string title, string format)
    {
        var index = s.Index ?? throw new ArgumentException($"The evaluation of {s.Model} has no robustness index.", nameof(s));
        var jagged = pick(index);
        var n = jagged.Length;
        var values = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) values[i, j] = jagged[i][j];
        return new HeatMap(values, index.Classes, index.Classes) { Title = title, RowAxis = "source class", ColumnAxis = "target class", Format = format };
    }
}
