using System.Text;
using MLRobust.Rendering;

namespace MLRobust.Reporting;

/// <summary>
/// A chart drawn as a self-contained SVG document: no scripts, fonts or external references, a viewBox so it scales
/// to any width (phones, print), and numbers written with the invariant culture so the same data gives the same bytes.
/// </summary>
public abstract class Chart
{
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
        // Wide enough for the title (15 px bold: about 8.5 units a character), so that it is never cut.
        var width = Math.Max(Width, (int)Math.Ceiling(Title.Length * 8.5) + 24);
        var svg = new SvgBuilder(width, Height, Title);
        Draw(svg);
        return svg.Finish();
    }

    /// <summary>Writes <see cref="ToSvg"/> to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = new UTF8Encoding(false).GetBytes(ToSvg());
        AtomicWrite.WriteAllBytes(path, bytes);
    }

    private protected abstract void Draw(SvgBuilder svg);
}
