using MLRobust.Attacks;
using MLRobust.Rendering.Images;

namespace MLRobust.Explanations;

/// <summary>How <see cref="ExplanationImage"/> draws an explanation over its image.</summary>
public sealed class ExplanationImageOptions
{
    /// <summary>The image's value range (mapped to black … white); default [0, 1].</summary>
    public InputRange Range = InputRange.Unit;

    /// <summary>The heat map value drawn at full colour; smaller magnitudes fade. Null (default): the map's largest magnitude.</summary>
    public float? Scale;

    /// <summary>Opacity of the colour at full magnitude; default 0.6.</summary>
    public double MaxAlpha = 0.6;

    /// <summary>Pixels per image pixel in the PNG (nearest neighbour); default 4, so that a 28×28 image reads at 112×112.</summary>
    public int Zoom = 4;

    /// <summary>Draws the outline of LIME's top superpixels (a mask of H·W values, non-zero inside) in yellow; null: none.</summary>
    public float[]? Outline;

    internal void Validate()
    {
        if (Scale is { } s && !(s > 0 && float.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(Scale), Scale, "Scale must be finite and positive.");
        if (!(MaxAlpha >= 0 && MaxAlpha <= 1)) throw new ArgumentOutOfRangeException(nameof(MaxAlpha), MaxAlpha, "MaxAlpha must be in [0, 1].");
        if (Zoom < 1 || Zoom > 64) throw new ArgumentOutOfRangeException(nameof(Zoom), Zoom, "Zoom must be in 1 … 64.");
    }
}

/// <summary>
/// Pictures of explanations: the image in grey with the heat map alpha-blended over it in a diverging colour scale
/// (red: for the class, blue: against it, stronger colour for larger magnitude), as PNG bytes or an atomically written
/// PNG file (through ImageAnalytics' MLImage).
/// </summary>
public static class ExplanationImage
{
    /// <summary>The overlay as R, G, B, A bytes of a (H·zoom)×(W·zoom) image. <paramref name="image"/> holds C·H·W
    /// values ([C, H, W]; several channels are averaged to grey), <paramref name="heatMap"/> H·W values.</summary>
    public static byte[] Render(ReadOnlySpan<float> image, int height, int width, ReadOnlySpan<float> heatMap, ExplanationImageOptions? options = null)
    {
        options ??= new ExplanationImageOptions();
        options.Validate();
        var pixels = height * width;
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"An image needs a positive size; got {height}x{width}.");
        if (image.Length == 0 || image.Length % pixels != 0)
            throw new ArgumentException($"{image.Length} image values are not C·{height}·{width}.", nameof(image));
        if (heatMap.Length != pixels) throw new ArgumentException($"The heat map has {heatMap.Length} values; a {height}x{width} image needs {pixels}.", nameof(heatMap));
        if (options.Outline is { } outline && outline.Length != pixels)
            throw new ArgumentException($"The outline mask has {outline.Length} values; a {height}x{width} image needs {pixels}.", nameof(options));
        var channels = image.Length / pixels;
        var scale = options.Scale ?? MaxMagnitude(heatMap);
        var zoom = options.Zoom;
        var outW = width * zoom;
        var rgba = new byte[outW * height * zoom * 4];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var p = y * width + x;
                var grey = 0.0;
                for (var c = 0; c < channels; c++) grey += image[c * pixels + p];
                grey = Math.Clamp((grey / channels - options.Range.Min) / options.Range.Width, 0, 1);
                var v = heatMap[p];
                var t = scale > 0 && float.IsFinite(v) ? Math.Clamp(Math.Abs(v) / scale, 0, 1) : 0;
                var alpha = options.MaxAlpha * t;
                // Diverging: red for positive, blue for negative.
                var (cr, cg, cb) = v >= 0 ? (0.84, 0.15, 0.16) : (0.13, 0.40, 0.75);
                var r = (1 - alpha) * grey + alpha * cr;
                var g = (1 - alpha) * grey + alpha * cg;
                var b = (1 - alpha) * grey + alpha * cb;
                for (var dy = 0; dy < zoom; dy++)
                    for (var dx = 0; dx < zoom; dx++)
                    {
                        var (pr, pg, pb) = options.Outline is { } mask && OnOutline(mask, height, width, y, x, dy, dx, zoom) ? (1.0, 0.85, 0.0) : (r, g, b);
                        var o = ((y * zoom + dy) * outW + x * zoom + dx) * 4;
                        rgba[o] = Byte(pr);
                        rgba[o + 1] = Byte(pg);
                        rgba[o + 2] = Byte(pb);
                        rgba[o + 3] = 255;
                    }
            }
        return rgba;
    }

    /// <summary>The overlay as the bytes of a PNG file (for the HTML report).</summary>
    public static byte[] ToPng(ReadOnlySpan<float> image, int height, int width, ReadOnlySpan<float> heatMap, ExplanationImageOptions? options = null)
    {
        var zoom = options?.Zoom ?? new ExplanationImageOptions().Zoom;
        var rgba = Render(image, height, width, heatMap, options);
        return ImageFiles.EncodePng(width * zoom, height * zoom, rgba);
    }

    /// <summary>Writes the overlay to <paramref name="path"/> (a .png), atomically.</summary>
    public static void SavePng(string path, ReadOnlySpan<float> image, int height, int width, ReadOnlySpan<float> heatMap, ExplanationImageOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var zoom = options?.Zoom ?? new ExplanationImageOptions().Zoom;
        var rgba = Render(image, height, width, heatMap, options);
        ImageFiles.SavePng(path, width * zoom, height * zoom, rgba);
    }

    private static float MaxMagnitude(ReadOnlySpan<float> values)
    {
        var max = 0f;
        foreach (var v in values) if (float.IsFinite(v)) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    /// <summary>Whether the sub-pixel (dy, dx) of pixel (y, x) lies on the edge of the mask's region: inside the mask, on
    /// the zoomed pixel's border next to a pixel outside it.</summary>
    private static bool OnOutline(float[] mask, int height, int width, int y, int x, int dy, int dx, int zoom)
    {
        if (mask[y * width + x] == 0) return false;
        bool Outside(int yy, int xx) => yy < 0 || xx < 0 || yy >= height || xx >= width || mask[yy * width + xx] == 0;
        var edge = Math.Max(1, zoom / 4);
        return (dy < edge && Outside(y - 1, x)) || (dy >= zoom - edge && Outside(y + 1, x))
            || (dx < edge && Outside(y, x - 1)) || (dx >= zoom - edge && Outside(y, x + 1));
    }

    private static byte Byte(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
}
