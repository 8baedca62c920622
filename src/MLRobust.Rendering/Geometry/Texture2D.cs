namespace MLRobust.Rendering.Geometry;

/// <summary>
/// A decoded texture in linear RGB (the sRGB transfer curve already removed), rows top to bottom,
/// so that texture coordinate (0, 0) is the top-left texel as glTF defines it.
/// </summary>
public sealed class Texture2D
{
    public Texture2D(int width, int height, float[] linearRgb, TextureWrap wrapS = TextureWrap.Repeat,
        TextureWrap wrapT = TextureWrap.Repeat, bool nearest = false)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"texture size must be positive, got {width}x{height}");
        ArgumentNullException.ThrowIfNull(linearRgb);
        if (linearRgb.Length != (long)width * height * 3)
            throw new ArgumentException($"expected {width}x{height}x3 = {(long)width * height * 3} values, got {linearRgb.Length}", nameof(linearRgb));
        Width = width;
        Height = height;
        LinearRgb = linearRgb;
        WrapS = wrapS;
        WrapT = wrapT;
        Nearest = nearest;
    }

    public int Width { get; }
    public int Height { get; }
    /// <summary>Width*Height*3 linear values in [0, 1], row-major from the top row.</summary>
    public float[] LinearRgb { get; }
    public TextureWrap WrapS { get; }
    public TextureWrap WrapT { get; }
    /// <summary>Nearest-texel magnification (glTF magFilter NEAREST); otherwise bilinear.</summary>
    public bool Nearest { get; }

    /// <summary>Converts an 8-bit sRGB-encoded channel to linear light.</summary>
    public static float SrgbToLinear(byte value)
    {
        double c = value / 255.0;
        return (float)(c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4));
    }

    /// <summary>Samples the texture at (u, v), returning linear RGB.</summary>
    public (float R, float G, float B) Sample(float u, float v)
    {
        if (!float.IsFinite(u)) u = 0;
        if (!float.IsFinite(v)) v = 0;
        float x = u * Width - 0.5f, y = v * Height - 0.5f;
        if (Nearest)
        {
            int ix = Wrap((int)MathF.Floor(x + 0.5f), Width, WrapS), iy = Wrap((int)MathF.Floor(y + 0.5f), Height, WrapT);
            int i = (iy * Width + ix) * 3;
            return (LinearRgb[i], LinearRgb[i + 1], LinearRgb[i + 2]);
        }
        float fx = MathF.Floor(x), fy = MathF.Floor(y);
        float tx = x - fx, ty = y - fy;
        int x0 = Wrap((int)fx, Width, WrapS), x1 = Wrap((int)fx + 1, Width, WrapS);
        int y0 = Wrap((int)fy, Height, WrapT), y1 = Wrap((int)fy + 1, Height, WrapT);
        float r = 0, g = 0, b = 0;
        Accumulate(x0, y0, (1 - tx) * (1 - ty));
        Accumulate(x1, y0, tx * (1 - ty));
        Accumulate(x0, y1, (1 - tx) * ty);
        Accumulate(x1, y1, tx * ty);
        return (r, g, b);

        void Accumulate(int ix, int iy, float w)
        {
            int i = (iy * Width + ix) * 3;
            r += w * LinearRgb[i];
            g += w * LinearRgb[i + 1];
            b += w * LinearRgb[i + 2];
        }
    }

    private static int Wrap(int i, int n, TextureWrap mode)
    {
        // Texture coordinates can be huge; clamp before integer arithmetic so nothing overflows.
        switch (mode)
        {
            case TextureWrap.ClampToEdge:
                return Math.Clamp(i, 0, n - 1);
            case TextureWrap.MirroredRepeat:
                {
                    int period = 2 * n;
                    int m = ((i % period) + period) % period;
                    return m < n ? m : period - 1 - m;
                }
            default:
                return ((i % n) + n) % n;
        }
    }
}
