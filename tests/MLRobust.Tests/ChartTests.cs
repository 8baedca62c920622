using System.Globalization;
using System.Xml.Linq;
using MLRobust.Reporting;
using MLRobust.Tests.Infrastructure;

namespace MLRobust.Tests;

/// <summary>The SVG charts: well-formed XML, points where the axes say, escaping, culture independence, quartiles as NumPy's.</summary>
public class ChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void LineChartMapsPointsOntoItsAxesAndBreaksAtNaN()
    {
        var chart = new LineChart { Title = "Accuracy <against> ε & more", XLabel = "ε", YLabel = "accuracy", YMin = 0, YMax = 1 };
        chart.Add("fgsm", new[] { 0.0, 0.1, 0.2, 0.3 }, new[] { 1.0, 0.5, double.NaN, 0.0 });
        var doc = XDocument.Parse(chart.ToSvg());
        Assert.Equal("Accuracy <against> ε & more", doc.Root!.Element(Svg + "title")!.Value);
        // The NaN splits the line: one polyline of two points; the lone last point is a marker only.
        var lines = doc.Descendants(Svg + "polyline").ToList();
        Assert.Single(lines);
        var points = lines[0].Attribute("points")!.Value.Split(' ').Select(p => p.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(2, points.Length);
        // x from 0 to 0.3 over [64, 640 − 16]; y fixed to [0, 1] over [400 − 46, 34].
        Assert.Equal(64, points[0][0], 2);
        Assert.Equal(34, points[0][1], 2);
        Assert.Equal(64 + (624 - 64) / 3.0, points[1][0], 1);
        Assert.Equal(354 - 0.5 * 320, points[1][1], 2);
        Assert.Equal(3, doc.Descendants(Svg + "circle").Count());
    }

    [Fact]
    public void ChartsAreTheSameBytesInEveryCulture()
    {
        var chart = new LineChart { Title = "t" };
        chart.Add("a", new[] { 0.5, 1.25 }, new[] { 1e-4, 2.5 });
        chart.Add("b", new[] { 0.5, 1.25 }, new[] { 0.75, 0.125 });
        var before = CultureInfo.CurrentCulture;
        string invariant, german;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            invariant = chart.ToSvg();
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            german = chart.ToSvg();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
        Assert.Equal(invariant, german);
        Assert.DoesNotContain("0,5 ", invariant);
    }

    [Fact]
    public void HeatMapWritesEveryCellWithItsValueAndGreysOutNaN()
    {
        var values = new double[,] { { double.NaN, 0.25 }, { 0.75, double.NaN } };
        var map = new HeatMap(values, new[] { "disc", "cube" }, new[] { "disc", "cube" }) { Title = "threshold", RowAxis = "source", ColumnAxis = "target" };
        var doc = XDocument.Parse(map.ToSvg());
        var cells = doc.Descendants(Svg + "rect").Where(r => r.Element(Svg + "title") is not null).ToList();
        Assert.Equal(4, cells.Count);
        Assert.Equal(new[] { "disc → disc: –", "disc → cube: 0.25", "cube → disc: 0.75", "cube → cube: –" }, cells.Select(c => c.Element(Svg + "title")!.Value));
        Assert.Equal("#eeeeee", cells[0].Attribute("fill")!.Value);
        Assert.NotEqual(cells[1].Attribute("fill")!.Value, cells[2].Attribute("fill")!.Value);
        Assert.Throws<ArgumentException>(() => new HeatMap(values, new[] { "disc" }, new[] { "disc", "cube" }));
    }

    /// <summary>Quartiles by linear interpolation between order statistics: numpy.percentile([1, 2, 3, 4, 100], [25, 50, 75])
    /// = 2, 3, 4; the whisker reaches 4 + 1.5·2 = 7, so 100 is an outlier.</summary>
    [Fact]
    public void BoxPlotSummaryMatchesNumPyPercentiles()
    {
        var s = BoxPlot.Summary(new[] { 4.0, 1, 100, 3, 2, double.NaN })!.Value;
        Assert.Equal((1.0, 2.0, 3.0, 4.0, 4.0), s);
        Assert.Equal(1.75, BoxPlot.Quantile(new[] { 1.0, 2, 3, 4 }, 0.25), 12);
        Assert.Null(BoxPlot.Summary(new[] { double.NaN }));
        var plot = new BoxPlot { Title = "steps", YLabel = "steps", LogY = true }.Add("direct", new[] { 5.0, 10, 20, 400 }).Add("triple Θ=0.45", new[] { 30.0, 40, 50 });
        var doc = XDocument.Parse(plot.ToSvg());
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "n = 4");
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "triple Θ=0.45");
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
    }
}
