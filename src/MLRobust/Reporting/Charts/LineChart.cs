namespace MLRobust.Reporting;

/// <summary>One line of a <see cref="LineChart"/>: points (X[i], Y[i]); non-finite values break the line.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>Lines over a shared x axis (accuracy against ε, learning curves, the robustness index over training),
/// with axis labels, ticks, a legend and a tooltip per point.</summary>
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

    private protected override void Draw(SvgBuilder svg)
    {
        if (Series.Count == 0) throw new InvalidOperationException($"The chart '{Title}' has no series to draw.");
        var legendWidth = Series.Count > 1 ? Math.Min(180, 24 + 7 * Series.Max(s => s.Name.Length)) : 0;
        double left = 64, right = svg.Width - 16 - legendWidth, top = svg.Top, bottom = svg.Height - 46;
        var x = ChartAxis.Fit(Series.SelectMany(s => s.X), left, right);
        var y = ChartAxis.Fit(Series.SelectMany(s => s.Y), bottom, top, YMin, YMax, LogY);
        Frame.Draw(svg, x, y, left, right, top, bottom, XLabel, YLabel);
        for (var k = 0; k < Series.Count; k++)
        {
            var s = Series[k];
            var colour = SvgBuilder.Colour(k);
            var run = new List<(double, double)>();
            void Flush()
            {
                if (run.Count > 1) svg.Polyline(run, colour);
                run.Clear();
            }
            for (var i = 0; i < s.X.Count; i++)
            {
                var ok = double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) && (!LogY || s.Y[i] > 0);
                if (!ok) { Flush(); continue; }
                run.Add((x.Map(s.X[i]), y.Map(s.Y[i])));
            }
            Flush();
            if (Markers && s.X.Count <= 60)
                for (var i = 0; i < s.X.Count; i++)
                    if (double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) && (!LogY || s.Y[i] > 0))
                        svg.Circle(x.Map(s.X[i]), y.Map(s.Y[i]), 3, colour, $"{s.Name}: {ChartAxis.Label(s.X[i])}, {ChartAxis.Label(s.Y[i])}");
            if (legendWidth > 0)
            {
                var ly = top + 8 + 18 * k;
                svg.Line(right + 12, ly, right + 30, ly, colour, 3);
                svg.Text(right + 34, ly + 4, s.Name, size: 11);
            }
        }
    }
}

/// <summary>Axes, ticks, grid lines and axis labels around a plotting area.</summary>
internal static class Frame
{
    internal static void Draw(SvgBuilder svg, ChartAxis? x, ChartAxis y, double left, double right, double top, double bottom, string xLabel, string yLabel)
    {
        foreach (var t in y.Ticks())
        {
            var py = y.Map(t);
            svg.Line(left, py, right, py, "#e4e4e4");
            svg.Text(left - 6, py + 4, ChartAxis.Label(t), anchor: "end", size: 11);
        }
        if (x is not null)
            foreach (var t in x.Ticks())
            {
                var px = x.Map(t);
                svg.Line(px, bottom, px, bottom + 4, "#444444");
                svg.Text(px, bottom + 17, ChartAxis.Label(t), anchor: "middle", size: 11);
            }
        svg.Line(left, bottom, right, bottom, "#444444");
        svg.Line(left, top, left, bottom, "#444444");
        if (!string.IsNullOrEmpty(xLabel)) svg.Text((left + right) / 2, svg.Height - 8, xLabel, anchor: "middle");
        if (!string.IsNullOrEmpty(yLabel)) svg.Text(16, (top + bottom) / 2, yLabel, anchor: "middle", rotate: -90);
    }
}
