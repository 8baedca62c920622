using System.Globalization;
using System.Security;
using System.Text;

namespace MLRobust.Reporting;

/// <summary>Writes SVG elements: escapes text, formats numbers with the invariant culture, rounds coordinates to 0.01.</summary>
internal sealed class SvgBuilder
{
    /// <summary>Okabe and Ito's colour-blind-safe palette, then greys.</summary>
    internal static readonly string[] Palette = { "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000", "#777777", "#BBBBBB" };

    internal const string Font = "font-family=\"sans-serif\"";

    private readonly StringBuilder _text = new();

    internal SvgBuilder(int width, int height, string title)
    {
        Width = width;
        Height = height;
        _text.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" style=\"max-width:{width}px;height:auto\">");
        if (!string.IsNullOrEmpty(title))
        {
            _text.Append($"<title>{Escape(title)}</title>");
        }
        _text.Append($"<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        if (!string.IsNullOrEmpty(title)) Text(width / 2.0, 20, title, anchor: "middle", size: 15, weight: "bold");
    }

    internal int Width { get; }

    internal int Height { get; }

    /// <summary>Top of the plotting area: below the title.</summary>
    internal double Top => 34;

    internal static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    internal static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    internal static string Colour(int index) => Palette[index % Palette.Length];

    internal void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null) =>
        _text.Append($"<line x1=\"{Number(x1)}\" y1=\"{Number(y1)}\" x2=\"{Number(x2)}\" y2=\"{Number(y2)}\" stroke=\"{stroke}\" stroke-width=\"{Number(width)}\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>");

    internal void Rect(double x, double y, double width, double height, string fill, string? stroke = null, string? tooltip = null)
    {
        _text.Append($"<rect x=\"{Number(x)}\" y=\"{Number(y)}\" width=\"{Number(Math.Max(0, width))}\" height=\"{Number(Math.Max(0, height))}\" fill=\"{fill}\"{(stroke is null ? "" : $" stroke=\"{stroke}\"")}");
        if (tooltip is null) _text.Append("/>");
        else _text.Append($"><title>{Escape(tooltip)}</title></rect>");
    }

    internal void Circle(double x, double y, double r, string fill, string? tooltip = null)
    {
        _text.Append($"<circle cx=\"{Number(x)}\" cy=\"{Number(y)}\" r=\"{Number(r)}\" fill=\"{fill}\"");
        if (tooltip is null) _text.Append("/>");
        else _text.Append($"><title>{Escape(tooltip)}</title></circle>");
    }

    internal void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width = 2)
    {
        var list = string.Join(" ", points.Select(p => $"{Number(p.X)},{Number(p.Y)}"));
        _text.Append($"<polyline points=\"{list}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{Number(width)}\" stroke-linejoin=\"round\"/>");
    }

    internal void Text(double x, double y, string text, string anchor = "start", double size = 12, string weight = "normal", string fill = "#222222", double rotate = 0)
    {
        var transform = rotate == 0 ? "" : $" transform=\"rotate({Number(rotate)} {Number(x)} {Number(y)})\"";
        _text.Append($"<text x=\"{Number(x)}\" y=\"{Number(y)}\" {Font} font-size=\"{Number(size)}\" font-weight=\"{weight}\" text-anchor=\"{anchor}\" fill=\"{fill}\"{transform}>{Escape(text)}</text>");
    }

    internal string Finish() => _text.Append("</svg>").ToString();
}
