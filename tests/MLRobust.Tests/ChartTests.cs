using System.Globalization;
using System.Xml.Linq;
using MLRobust.Reporting;
using MLRobust.Tests.Infrastructure;

namespace MLRobust.Tests;

/// <summary>The SVG charts (OxyPlot's SvgExporter): a scalable inline &lt;svg&gt; element, points where the axes say, escaping,
/// culture independence, ids that don't clash between charts of one page, quartiles as NumPy's.</summary>
public class ChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>The first colour of the palette (#0072B2) as OxyPlot writes it.</summary>
    private const string FirstColour = "rgb(0,114,178)";

    private static List<string> Texts(XDocument doc) => doc.Descendants(Svg + "text").Select(t => t.Value).ToList();

    private static double[] Point(string xy) => xy.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void LineChartMapsPointsOntoItsAxesAndBreaksAtNaN()
    {
        var chart = new LineChart { Title = "Accuracy <against> ε & more", XLabel = "ε", YLabel = "accuracy", YMin = 0, YMax = 1 };
        chart.Add("fgsm", new[] { 0.0, 0.1, 0.2, 0.3 }, new[] { 1.0, 0.5, double.NaN, 0.0 });
        var svg = chart.ToSvg();
        Assert.Contains("Accuracy &lt;against&gt; ε &amp; more", svg);
        var doc = XDocument.Parse(svg);
        Assert.Equal("Accuracy <against> ε & more", doc.Root!.Element(Svg + "title")!.Value);
        var texts = Texts(doc);
        Assert.Contains("Accuracy <against> ε & more", texts);
        Assert.Contains("ε", texts);
        Assert.Contains("accuracy", texts);
        // The NaN splits the line: one stretch of two points; the lone last point is a marker only (OxyPlot writes it as a
        // one-point polyline, which draws nothing).
        var lines = doc.Descendants(Svg + "polyline").Where(p => p.Attribute("style")!.Value.Contains("stroke:" + FirstColour))
            .Select(p => p.Attribute("points")!.Value.Split(' ').Select(Point).ToArray()).ToList();
        var points = Assert.Single(lines, l => l.Length > 1);
        Assert.Equal(2, points.Length);
        var markers = doc.Descendants(Svg + "ellipse").Select(e => Point(e.Attribute("cx")!.Value + "," + e.Attribute("cy")!.Value)).ToList();
        Assert.Equal(3, markers.Count);
        Assert.Equal(points[0], markers[0]);
        Assert.Equal(points[1], markers[1]);
        // Linear axes: x 0, 0.1, 0.3 and y 1, 0.5, 0 are evenly spaced on the page; y grows upwards.
        Assert.Equal(markers[2][0] - markers[0][0], 3 * (markers[1][0] - markers[0][0]), 2);
        Assert.Equal(markers[2][1] - markers[1][1], markers[1][1] - markers[0][1], 2);
        Assert.True(markers[0][1] < markers[2][1]);
        // One series: no legend.
        Assert.DoesNotContain("fgsm", texts);
    }

    [Fact]
    public void EveryChartIsAScalableSvgElementWithIdsOfItsOwn()
    {
        var charts = new Chart[]
        {
            new LineChart { Title = "first" }.Add("a", new[] { 0.0, 1 }, new[] { 0.0, 1 }).Add("b", new[] { 0.0, 1 }, new[] { 1.0, 0 }),
            new LineChart { Title = "second" }.Add("a", new[] { 0.0, 1 }, new[] { 0.0, 2 }),
            new HeatMap(new double[,] { { 1, 2 } }, new[] { "r" }, new[] { "c1", "c2" }),
            new BoxPlot().Add("g", new[] { 1.0, 2, 3 }),
        };
        var ids = new List<string>();
        foreach (var chart in charts)
        {
            var svg = chart.ToSvg();
            Assert.StartsWith("<svg", svg);
            Assert.Equal(svg, chart.ToSvg());
            Assert.DoesNotContain("NaN", svg);
            var root = XDocument.Parse(svg).Root!;
            Assert.Equal(Svg + "svg", root.Name);
            Assert.Equal($"0 0 {chart.Width} {chart.Height}", root.Attribute("viewBox")!.Value);
            Assert.Equal("100%", root.Attribute("width")!.Value);
            Assert.Null(root.Attribute("height"));
            // No pictures or links: vector shapes and text only.
            Assert.Empty(root.Descendants(Svg + "image"));
            Assert.DoesNotContain("href", svg);
            // Every clip-path reference resolves inside the same chart.
            var own = root.Descendants().Attributes("id").Select(a => a.Value).ToList();
            Assert.All(root.Descendants().Attributes("clip-path"), a => Assert.Contains(a.Value["url(#".Length..^1], own));
            ids.AddRange(own);
        }
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void ChartsAreTheSameBytesInEveryCulture()
    {
        var chart = new LineChart { Title = "t" };
        chart.Add("a", new[] { 0.5, 1.25 }, new[] { 1e-4, 2.5 });
        chart.Add("b", new[] { 0.5, 1.25 }, new[] { 0.75, 0.125 });
        var box = new BoxPlot { Title = "b" }.Add("x", new[] { 0.25, 0.5, 0.75, 1.5 });
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        string invariant, german, invariantBox, germanBox;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            (invariant, invariantBox) = (chart.ToSvg(), box.ToSvg());
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-DE");
            (german, germanBox) = (chart.ToSvg(), box.ToSvg());
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
        Assert.Equal(invariant, german);
        Assert.Equal(invariantBox, germanBox);
        // Tick labels with decimal points, none with decimal commas.
        var ticks = Texts(XDocument.Parse(invariant));
        Assert.Contains(ticks, t => t.Contains('.'));
        Assert.DoesNotContain(ticks, t => t.Contains(','));
        // Two series: a legend with their names.
        Assert.Contains("a", ticks);
        Assert.Contains("b", ticks);
    }

    [Fact]
    public void HeatMapWritesEveryCellWithItsValueAndGreysOutNaN()
    {
        var values = new double[,] { { double.NaN, 0.25 }, { 0.75, double.NaN } };
        var map = new HeatMap(values, new[] { "disc", "cube" }, new[] { "disc", "cube" }) { Title = "threshold", RowAxis = "source", ColumnAxis = "target" };
        var doc = XDocument.Parse(map.ToSvg());
        var texts = Texts(doc);
        Assert.Contains("source", texts);
        Assert.Contains("target", texts);
        Assert.Equal(2, texts.Count(t => t == "disc"));
        Assert.Equal(2, texts.Count(t => t == "cube"));
        // The cell labels, row by row, the first row at the top.
        Assert.Equal(new[] { "–", "0.25", "0.75", "–" }, texts.Where(t => t is "–" or "0.25" or "0.75"));
        var labels = doc.Descendants(Svg + "text").Where(t => t.Value is "0.25" or "0.75").ToDictionary(t => t.Value, t => t.Attribute("transform")!.Value);
        Assert.True(Point(labels["0.25"]["translate(".Length..^1])[1] < Point(labels["0.75"]["translate(".Length..^1])[1], "row 0 (0.25) above row 1 (0.75)");
        // Cells: NaN in light grey, the two values in different blues.
        var fills = doc.Descendants(Svg + "rect").Select(r => r.Attribute("style")?.Value ?? "").ToList();
        Assert.Equal(2, fills.Count(f => f.StartsWith("fill:rgb(238,238,238)", StringComparison.Ordinal)));
        Assert.Throws<ArgumentException>(() => new HeatMap(values, new[] { "disc" }, new[] { "disc", "cube" }));
        Assert.Throws<ArgumentException>(() => new HeatMap(new double[0, 0], Array.Empty<string>(), Array.Empty<string>()));
    }

    /// <summary>Quartiles by linear interpolation between order statistics: numpy.percentile([1, 2, 3, 4, 100], [25, 50, 75])
    /// = 2, 3, 4; the whisker reaches 4 + 1.5·2 = 7, so 100 is an outlier.</summary>
    [Fact]
    public void BoxPlotSummaryMatchesNumPyPercentiles()
    {
        var s = Percentiles.Summary(new[] { 4.0, 1, 100, 3, 2, double.NaN })!.Value;
        Assert.Equal((1.0, 2.0, 3.0, 4.0, 4.0), s);
        Assert.Equal(1.75, Percentiles.Quantile(new[] { 1.0, 2, 3, 4 }, 0.25), 12);
        Assert.True(double.IsNaN(Percentiles.Quantile(Array.Empty<double>(), 0.5)));
        Assert.Null(Percentiles.Summary(new[] { double.NaN }));
    }

    [Fact]
    public void BoxPlotNamesItsBoxesAndUsesALogAxisWhenAsked()
    {
        BoxPlot Plot(bool log) => new BoxPlot { Title = "steps", YLabel = "steps", LogY = log }
            .Add("direct", new[] { 5.0, 10, 20, 400 }).Add("triple Θ=0.45", new[] { 30.0, 40, 50 }).Add("empty", new[] { double.NaN });
        var doc = XDocument.Parse(Plot(log: true).ToSvg());
        var texts = Texts(doc);
        Assert.Contains("direct", texts);
        Assert.Contains("n = 4", texts);
        Assert.Contains("triple Θ=0.45", texts);
        Assert.Contains("n = 3", texts);
        Assert.Contains("n = 0", texts);
        Assert.Contains("steps", texts);
        // Decades on the log axis; hundreds on the linear one.
        Assert.Contains("10", texts);
        Assert.Contains("100", texts);
        Assert.DoesNotContain("200", texts);
        Assert.Contains("200", Texts(XDocument.Parse(Plot(log: false).ToSvg())));
        // direct: quartiles 8.75 and 115, whiskers within 1.5 IQR up to 274, so 400 is the one outlier (a dot).
        Assert.Single(doc.Descendants(Svg + "ellipse"));
        // A box per group with values: white, outlined in its colour.
        Assert.Equal(2, doc.Descendants(Svg + "rect").Count(r => (r.Attribute("style")?.Value ?? "").StartsWith("fill:rgb(255,255,255);stroke:rgb(", StringComparison.Ordinal)));
        Assert.Throws<InvalidOperationException>(() => new BoxPlot { Title = "empty" }.ToSvg());
    }

    [Fact]
    public void SaveWritesTheSvgAtomicallyAndEmptyChartsAreRefused()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "curve.svg");
        var chart = new LineChart().Add("a", new[] { 1.0, 2 }, new[] { 3.0, 4 });
        chart.Save(path);
        Assert.Equal(chart.ToSvg(), File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
        Assert.Throws<InvalidOperationException>(() => new LineChart { Title = "empty" }.ToSvg());
        Assert.Throws<ArgumentException>(() => new LineChart().Add("bad", new[] { 1.0 }, new[] { 1.0, 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LineChart { Width = 100 }.Add("a", new[] { 1.0 }, new[] { 1.0 }).ToSvg());
    }
}
