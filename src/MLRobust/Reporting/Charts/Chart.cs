using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using MLRobust.Rendering;
using OxyPlot;
using OxyPlot.Axes;

namespace MLRobust.Reporting;

/// <summary>
/// A chart drawn by OxyPlot as a self-contained SVG document: no scripts, fonts or external references, a viewBox so it
/// scales to any width (phones, print), and numbers written with the invariant culture so the same data gives the same bytes.
/// </summary>
public abstract class Chart
{
    /// <summary>The font of every text: Helvetica's metrics, which OxyPlot measures text with, and its look-alikes.</summary>
    private const string Font = "Arial, Helvetica, sans-serif";

    /// <summary>Okabe and Ito's colour-blind-safe palette, then greys.</summary>
    private static readonly OxyColor[] Palette =
        new[] { "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000", "#777777", "#BBBBBB" }.Select(OxyColor.Parse).ToArray();

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Shown above the plot; empty for none.</summary>
    public string Title { get; set; } = "";

    /// <summary>Width of the drawing in SVG units (the viewBox); it scales with its container.</summary>
    public int Width { get; set; } = 640;

    public int Height { get; set; } = 400;

    /// <summary>The chart as an SVG document (a single &lt;svg&gt; element, usable inline in HTML).</summary>
    public string ToSvg()
    {
        if (Width < 160 || Height < 120)
            throw new ArgumentOutOfRangeException(nameof(Width), $"{Width}x{Height}", "A chart needs at least 160x120 units to hold its axes.");
        var model = new PlotModel
        {
            Title = Title, TitleFontSize = 15, DefaultFont = Font, DefaultFontSize = 11, Culture = CultureInfo.InvariantCulture,
            Background = OxyColors.White, PlotAreaBorderColor = OxyColor.Parse("#444444"), DefaultColors = Palette,
        };
        Build(model);
        // Wide enough for the title (15 px bold: about 8.5 units a character), which OxyPlot would otherwise cut.
        var width = Math.Max(Width, (int)Math.Ceiling(Title.Length * 8.5) + 24);
        var svg = XElement.Parse(SvgExporter.ExportToString(model, width, Height, isDocument: false, new TextMeasurer(width, Height)));
        // Scalable: the drawing's size becomes a viewBox, and it fills its container up to its own width.
        svg.SetAttributeValue("viewBox", $"0 0 {width} {Height}");
        svg.SetAttributeValue("width", "100%");
        svg.SetAttributeValue("height", null);
        svg.SetAttributeValue("style", $"max-width:{width}px;height:auto");
        svg.SetAttributeValue("role", "img");
        if (Title.Length > 0) svg.AddFirst(new XElement(Svg + "title", Title));
        UniqueIds(svg);
        return svg.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>Writes <see cref="ToSvg"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = new UTF8Encoding(false).GetBytes(ToSvg());
        AtomicWrite.WriteAllBytes(path, bytes);
    }

    /// <summary>OxyPlot numbers its clip paths clipPath1, clipPath2... in every chart, but the SVGs inlined in one HTML page
    /// share one id space: each chart's ids get a prefix from a hash of the chart, so that they stay the same for the same
    /// chart and differ between charts.</summary>
    private static void UniqueIds(XElement svg)
    {
        var ids = svg.DescendantsAndSelf().Attributes("id").ToList();
        if (ids.Count == 0) return;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(svg.ToString(SaveOptions.DisableFormatting)));
        var prefix = "c" + Convert.ToHexStringLower(hash, 0, 6) + "-";
        var references = ids.ToDictionary(a => $"url(#{a.Value})", a => $"url(#{prefix}{a.Value})");
        foreach (var id in ids) id.Value = prefix + id.Value;
        foreach (var a in svg.DescendantsAndSelf().Attributes())
            if (references.TryGetValue(a.Value, out var renamed)) a.Value = renamed;
    }

    /// <summary>Adds the chart's axes and series to <paramref name="model"/> (its title, fonts, culture and colours are set).</summary>
    private protected abstract void Build(PlotModel model);

    /// <summary>The i-th colour of the palette (repeating).</summary>
    private protected static OxyColor Colour(int index) => Palette[index % Palette.Length];

    /// <summary>A value axis (log10 or linear) with a grid of light lines at its major ticks.</summary>
    private protected static Axis ValueAxis(AxisPosition position, string title, bool log = false)
    {
        Axis axis = log ? new LogarithmicAxis() : new LinearAxis();
        axis.Position = position;
        axis.Title = title;
        axis.MajorGridlineStyle = LineStyle.Solid;
        axis.MajorGridlineColor = OxyColor.Parse("#e4e4e4");
        return axis;
    }

    /// <summary>OxyPlot's headless measurer: Helvetica's metrics (those of Arial and Liberation Sans) from its PDF writer, with
    /// two corrections. It gives sizes in points (¾ of the font size in pixels) while SVG sizes text in user units, so sizes
    /// are scaled back; and it counts characters outside Latin-1 (ε, Θ, →, –) as no width, so they are measured as a
    /// letter of about their width. Otherwise legends and margins are laid out for text narrower than it is drawn.</summary>
    private sealed class TextMeasurer(double width, double height) : PdfRenderContext(width, height, OxyColors.White)
    {
        public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
        {
            var latin = string.Concat(text.Select(c => c <= '\u00ff' ? c : char.IsUpper(c) ? 'O' : char.IsLetter(c) ? 'n' : 'M'));
            var size = base.MeasureText(latin, fontFamily, fontSize, fontWeight);
            return new OxySize(size.Width * 96 / 72, size.Height * 96 / 72);
        }
    }
}
