using System.Xml.Linq;
using MLRobust.Reporting;

namespace MLRobust.Tests;

/// <summary>The one-file HTML document: text is escaped, only PNGs are embedded, tables are rectangular, the contents list
/// every section, and nothing refers outside the file.</summary>
public class HtmlDocumentTests
{
    [Fact]
    public void TextIsEscapedAndTheContentsListEverySection()
    {
        var doc = new HtmlDocument("Report <one> & \"two\"");
        doc.Section("First <b>").Paragraph("a < b & c").Table(new[] { "x", "<y>" }, new[] { (IReadOnlyList<string>)new[] { "1", "<script>alert(1)</script>" } });
        doc.Section("Second").Figure(new LineChart { Title = "t" }.Add("s", new[] { 0.0, 1 }, new[] { 0.0, 1 }));
        var html = doc.ToString();
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("<title>Report &lt;one&gt; &amp; &quot;two&quot;</title>", html);
        Assert.Contains("<li><a href=\"#s1\">First &lt;b&gt;</a></li>", html);
        Assert.Contains("<li><a href=\"#s2\">Second</a></li>", html);
        Assert.Equal(2, html.Split("<section ").Length - 1);
        Assert.Equal(html.Split("<section ").Length - 1, html.Split("</section>").Length - 1);
        // Self-contained: no URL other than the in-page anchors and the SVG namespace.
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
        Assert.Contains("default-src 'none'", html);
        // The inline SVG is well-formed XML.
        var svg = html[html.IndexOf("<svg", StringComparison.Ordinal)..(html.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
        Assert.Equal("svg", XDocument.Parse(svg).Root!.Name.LocalName);
    }

    [Fact]
    public void OnlyPngsAreEmbeddedAndTablesMustBeRectangular()
    {
        var doc = new HtmlDocument("r");
        var png = new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0 };
        doc.Png(png, "tiny");
        Assert.Contains("src=\"data:image/png;base64," + Convert.ToBase64String(png) + "\"", doc.ToString());
        Assert.Throws<InvalidDataException>(() => doc.Png(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0 }, "a JPEG"));
        Assert.Throws<ArgumentException>(() => doc.Table(new[] { "a", "b" }, new[] { (IReadOnlyList<string>)new[] { "1" } }));
    }
}
