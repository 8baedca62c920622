using System.Globalization;
using System.Net;
using System.Text;

namespace MLRobust.Reporting;

/// <summary>
/// A one-file HTML document: inline CSS, inline SVG, images as data: URIs, no scripts and no external requests, so it
/// opens anywhere (a phone, an air-gapped machine, a print preview) exactly as written.
/// </summary>
public sealed class HtmlDocument
{
    private readonly StringBuilder _body = new();
    private readonly List<(string Id, string Title)> _sections = new();
    private bool _inSection;

    public HtmlDocument(string title)
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        Title = title;
    }

    public string Title { get; }

    /// <summary>Escapes text for HTML element content and attribute values.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Starts a section (closing the previous one); it gets an entry in the table of contents.</summary>
    public HtmlDocument Section(string title)
    {
        CloseSection();
        var id = "s" + (_sections.Count + 1).ToString(CultureInfo.InvariantCulture);
        _sections.Add((id, title));
        _body.Append($"<section id=\"{id}\"><h2>{Escape(title)}</h2>");
        _inSection = true;
        return this;
    }

    public HtmlDocument Paragraph(string text, string? cssClass = null)
    {
        _body.Append(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">").Append(Escape(text)).Append("</p>");
        return this;
    }

    public HtmlDocument Heading(string text)
    {
        _body.Append("<h3>").Append(Escape(text)).Append("</h3>");
        return this;
    }

    /// <summary>A table; cells are text (escaped). Wide tables scroll sideways on narrow screens.</summary>
    public HtmlDocument Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? caption = null)
    {
        _body.Append("<div class=\"scroll\"><table>");
        if (caption is not null) _body.Append("<caption>").Append(Escape(caption)).Append("</caption>");
        _body.Append("<thead><tr>");
        foreach (var h in headers) _body.Append("<th>").Append(Escape(h)).Append("</th>");
        _body.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            if (row.Count != headers.Count) throw new ArgumentException($"A row of {row.Count} cells in a table of {headers.Count} columns.", nameof(rows));
            _body.Append("<tr>");
            foreach (var cell in row) _body.Append("<td>").Append(Escape(cell)).Append("</td>");
            _body.Append("</tr>");
        }
        _body.Append("</tbody></table></div>");
        return this;
    }

    /// <summary>A chart, inline, with a caption.</summary>
    public HtmlDocument Figure(Chart chart, string? caption = null) => FigureMarkup(chart.ToSvg(), caption);

    /// <summary>An SVG file's document, inline (its XML declaration dropped).</summary>
    public HtmlDocument SvgFile(string path, string? caption = null)
    {
        var svg = File.ReadAllText(path);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start < 0) throw new InvalidDataException($"'{path}' holds no <svg> element.");
        return FigureMarkup(svg[start..], caption);
    }

    /// <summary>A PNG, embedded as a data: URI.</summary>
    public HtmlDocument Png(byte[] png, string alt, string? caption = null, bool pixelated = false)
    {
        ArgumentNullException.ThrowIfNull(png);
        if (png.Length < 8 || png[0] != 0x89 || png[1] != (byte)'P' || png[2] != (byte)'N' || png[3] != (byte)'G')
            throw new InvalidDataException($"The image '{alt}' is not a PNG.");
        var img = $"<img alt=\"{Escape(alt)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\"{(pixelated ? " class=\"pixelated\"" : "")}>";
        return FigureMarkup(img, caption);
    }

    /// <summary>Several figures side by side (wrapping on narrow screens).</summary>
    public HtmlDocument Row(Action<HtmlDocument> figures)
    {
        _body.Append("<div class=\"row\">");
        figures(this);
        _body.Append("</div>");
        return this;
    }

    /// <summary>Raw markup the caller has made safe.</summary>
    internal HtmlDocument Raw(string html)
    {
        _body.Append(html);
        return this;
    }

    private HtmlDocument FigureMarkup(string inner, string? caption)
    {
        _body.Append("<figure>").Append(inner);
        if (caption is not null) _body.Append("<figcaption>").Append(Escape(caption)).Append("</figcaption>");
        _body.Append("</figure>");
        return this;
    }

    private void CloseSection()
    {
        if (_inSection) _body.Append("</section>");
        _inSection = false;
    }

    public override string ToString()
    {
        CloseSection();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">")
            .Append("<title>").Append(Escape(Title)).Append("</title><style>").Append(Css).Append("</style></head><body><main>")
            .Append("<h1>").Append(Escape(Title)).Append("</h1>");
        if (_sections.Count > 1)
        {
            html.Append("<nav><ol>");
            foreach (var (id, title) in _sections) html.Append($"<li><a href=\"#{id}\">{Escape(title)}</a></li>");
            html.Append("</ol></nav>");
        }
        html.Append(_body).Append("</main></body></html>");
        return html.ToString();
    }

    /// <summary>Writes the document atomically.</summary>
    public void Save(string path) => MLRobust.Rendering.AtomicWrite.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(ToString()));

    private const string Css =
        "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#222;background:#fafafa;line-height:1.45}" +
        "main{max-width:1000px;margin:0 auto;padding:12px 16px 48px}" +
        "h1{font-size:1.6em;margin:.4em 0}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.05em}" +
        "nav ol{columns:2;font-size:.92em}section{background:#fff;padding:4px 14px 12px;border-radius:6px;box-shadow:0 1px 2px rgba(0,0,0,.08);margin:14px 0}" +
        ".scroll{overflow-x:auto}table{border-collapse:collapse;margin:.6em 0;font-size:.92em}caption{text-align:left;font-weight:600;padding:.3em 0}" +
        "th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;white-space:nowrap}th{background:#f0f3f7}tbody tr:nth-child(even){background:#fafbfc}" +
        "figure{margin:10px 0;max-width:100%}figure svg{width:100%;height:auto;display:block}figure img{max-width:100%;height:auto;display:block}" +
        "img.pixelated{image-rendering:pixelated;min-width:min(100%,384px)}figcaption{font-size:.88em;color:#555;max-width:640px}" +
        ".row{display:flex;flex-wrap:wrap;gap:12px}.row figure{flex:1 1 300px}.note{color:#555;font-size:.92em}" +
        "@media (max-width:600px){nav ol{columns:1}main{padding:8px}section{padding:2px 8px 8px}}" +
        "@media print{body{background:#fff}section{box-shadow:none;break-inside:avoid}nav{display:none}a{color:inherit}}";
}
