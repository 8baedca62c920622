using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace MLRobust.Reporting;

/// <summary>One line of a <see cref="LineChart"/>: points (X[i], Y[i]); non-finite values break the line.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>Lines over a shared x axis (accuracy against ε, learning curves, the robustness index over training),
/// with axis titles, grid lines and, for more than one line, a legend.</summary>
public sealed class LineChart : Chart
{
    public string XLabel { get; set; } = "";

    public string YLabel { get; set; } = "";

    /// <summary>Fixed ends of the y axis (e.g. 0 and 1 for accuracies); null: fitted to the data.</summary>
    public double? YMin { get; set; }

    public double? YMax { get; set; }

    /// <summary>A log10 y axis (losses); non-positive values are left out.</summary>
    public bool LogY { get; set; }

    /// <summary>Draw a dot at each point (for short series).</summary>
    public bool Markers { get; set; } = true;

    public List<ChartSeries> Series { get; } = new();

    public LineChart Add(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"Series '{name}' has {x.Count} x values and {y.Count} y values.", nameof(y));
        Series.Add(new ChartSeries(name, x, y));
        return this;
    }

    private protected override void Build(PlotModel model)
    {
        if (Series.Count == 0) throw new InvalidOperationException($"The chart '{Title}' has no series to draw.");
        model.Axes.Add(ValueAxis(AxisPosition.Bottom, XLabel));
        var y = ValueAxis(AxisPosition.Left, YLabel, LogY);
        y.Minimum = YMin ?? double.NaN;
        y.Maximum = YMax ?? double.NaN;
        model.Axes.Add(y);
        foreach (var s in Series)
        {
            var line = new LineSeries { Title = s.Name, StrokeThickness = 2, MarkerType = Markers && s.X.Count <= 60 ? MarkerType.Circle : MarkerType.None, MarkerSize = 3 };
            // An undefined point breaks the line (OxyPlot draws no broken segments unless told to).
            for (var i = 0; i < s.X.Count; i++)
                line.Points.Add(double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) && (!LogY || s.Y[i] > 0) ? new DataPoint(s.X[i], s.Y[i]) : DataPoint.Undefined);
            model.Series.Add(line);
        }
        if (Series.Count > 1)
            model.Legends.Add(new Legend { LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.RightTop, LegendMaxWidth = 180 });
    }
}
