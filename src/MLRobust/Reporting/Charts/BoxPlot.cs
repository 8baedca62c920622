namespace MLRobust.Reporting;

/// <summary>One box of a <see cref="BoxPlot"/>: a name and its values (non-finite values are left out).</summary>
public sealed record BoxGroup(string Name, IReadOnlyList<double> Values);

/// <summary>
/// Box plots side by side (the triple-staged paper's Fig. 4/6: steps and distortion per model and Θ): median line,
/// quartile box (linear interpolation between order statistics, as NumPy's default), whiskers to the furthest value
/// within 1.5 IQR, outliers as dots.
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

    /// <summary>Five-number summary (whisker ends within 1.5 IQR) of the finite values; null when there are none.</summary>
    public static (double Low, double Q1, double Median, double Q3, double High)? Summary(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).OrderBy(x => x).ToArray();
        if (v.Length == 0) return null;
        double q1 = Quantile(v, 0.25), median = Quantile(v, 0.5), q3 = Quantile(v, 0.75), reach = 1.5 * (q3 - q1);
        return (v.First(x => x >= q1 - reach), q1, median, q3, v.Last(x => x <= q3 + reach));
    }

    /// <summary>The q-quantile of sorted values, interpolating linearly between order statistics.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private protected override void Draw(SvgBuilder svg)
    {
        if (Groups.Count == 0) throw new InvalidOperationException($"The box plot '{Title}' has no groups to draw.");
        double left = 64, right = svg.Width - 16, top = svg.Top, bottom = svg.Height - 46;
        var y = ChartAxis.Fit(Groups.SelectMany(g => g.Values), bottom, top, log: LogY);
        Frame.Draw(svg, null, y, left, right, top, bottom, "", YLabel);
        var slot = (right - left) / Groups.Count;
        for (var k = 0; k < Groups.Count; k++)
        {
            var g = Groups[k];
            var centre = left + slot * (k + 0.5);
            var half = Math.Min(40, slot * 0.3);
            var colour = SvgBuilder.Colour(k);
            var label = g.Name.Length * 6.5 > slot ? g.Name[..Math.Max(1, (int)(slot / 6.5) - 1)] + "…" : g.Name;
            svg.Text(centre, bottom + 17, label, anchor: "middle", size: 11);
            var values = g.Values.Where(v => double.IsFinite(v) && (!LogY || v > 0)).ToList();
            svg.Text(centre, bottom + 31, $"n = {values.Count}", anchor: "middle", size: 10, fill: "#666666");
            if (Summary(values) is not { } s) continue;
            svg.Line(centre, y.Map(s.Low), centre, y.Map(s.Q1), colour, 1.5);
            svg.Line(centre, y.Map(s.Q3), centre, y.Map(s.High), colour, 1.5);
            svg.Line(centre - half / 2, y.Map(s.Low), centre + half / 2, y.Map(s.Low), colour, 1.5);
            svg.Line(centre - half / 2, y.Map(s.High), centre + half / 2, y.Map(s.High), colour, 1.5);
            svg.Rect(centre - half, y.Map(s.Q3), 2 * half, y.Map(s.Q1) - y.Map(s.Q3), "#ffffff", colour,
                $"{g.Name}: median {ChartAxis.Label(s.Median)}, quartiles {ChartAxis.Label(s.Q1)}–{ChartAxis.Label(s.Q3)}, n = {values.Count}");
            svg.Line(centre - half, y.Map(s.Median), centre + half, y.Map(s.Median), colour, 2.5);
            foreach (var v in values.Where(v => v < s.Low || v > s.High)) svg.Circle(centre, y.Map(v), 2.5, colour);
        }
    }
}
