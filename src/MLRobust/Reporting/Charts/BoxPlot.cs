using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MLRobust.Reporting;

/// <summary>One box of a <see cref="BoxPlot"/>: a name and its values (non-finite values are left out).</summary>
public sealed record BoxGroup(string Name, IReadOnlyList<double> Values);

/// <summary>
/// Box plots side by side (the triple-staged paper's Fig. 4/6: steps and distortion per model and Θ): median line,
/// quartile box and whiskers from <see cref="Percentiles.Summary"/> (NumPy's quartiles, whiskers to the furthest value
/// within 1.5 IQR), outliers as dots; each box is labelled with its name and number of values.
/// </summary>
public sealed class BoxPlot : Chart
{
    public string YLabel { get; set; } = "";

    public bool LogY { get; set; }

    public List<BoxGroup> Groups { get; } = new();

    public BoxPlot Add(string name, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Groups.Add(new BoxGroup(name, values));
        return this;
    }

    private protected override void Build(PlotModel model)
    {
        if (Groups.Count == 0) throw new InvalidOperationException($"The box plot '{Title}' has no groups to draw.");
        // Names longer than their slot (about 6.5 units a character) are cut, so that neighbours don't overlap.
        var room = Math.Max(2, (int)((Width - 80) / Groups.Count / 6.5));
        var labels = new List<string>();
        for (var k = 0; k < Groups.Count; k++)
        {
            var g = Groups[k];
            var values = g.Values.Where(v => double.IsFinite(v) && (!LogY || v > 0)).ToList();
            labels.Add($"{(g.Name.Length > room ? g.Name[..(room - 1)] + "…" : g.Name)}\nn = {values.Count}");
            if (Percentiles.Summary(values) is not { } s) continue;
            var series = new BoxPlotSeries { Title = g.Name, Fill = OxyColors.White, Stroke = Colour(k), StrokeThickness = 1.5, MedianThickness = 2.5, BoxWidth = 0.5, OutlierSize = 2.5 };
            series.Items.Add(new BoxPlotItem(k, s.Low, s.Q1, s.Median, s.Q3, s.High) { Outliers = values.Where(v => v < s.Low || v > s.High).ToList() });
            model.Series.Add(series);
        }
        // Box k at x = k; without the ends OxyPlot fits the axis to the series, not to the categories.
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Bottom, ItemsSource = labels, Minimum = -0.5, Maximum = Groups.Count - 0.5 });
        model.Axes.Add(ValueAxis(AxisPosition.Left, YLabel, LogY));
    }
}
