using MLRobust.Attacks;

namespace MLRobust.Augmentation;

/// <summary>A random change of one image [C, H, W] (values in <see cref="ValueRange"/>), drawn from the row's own
/// random stream so that the same seed and row give the same result.</summary>
public abstract class ImageAugmentation
{
    private protected ImageAugmentation(InputRange valueRange) => ValueRange = valueRange;

    /// <summary>The range of the pixel values (for clipping and replacement values).</summary>
    public InputRange ValueRange { get; }

    /// <summary>A short name, stored in model files.</summary>
    internal abstract string Kind { get; }

    /// <summary>The output shape for an input of shape [C, H, W]; throws naming <paramref name="column"/> when the
    /// augmentation does not fit the image.</summary>
    internal virtual long[] OutputShape(long[] shape, string column) => shape;

    internal abstract void Apply(ReadOnlySpan<float> image, long[] shape, Span<float> output, SampleRandom random);

    /// <summary>Augments one image [C, H, W] as the transform does for the row at <paramref name="row"/> with
    /// seed <paramref name="seed"/>; returns the output (its shape: <see cref="OutputShape(int[])"/>).</summary>
    public float[] Apply(ReadOnlySpan<float> image, int[] shape, int seed, long row)
    {
        var s = CheckShape(shape, image.Length);
        var output = new float[OutputShape(s, "image").Aggregate(1L, (a, b) => a * b)];
        Apply(image, s, output, new SampleRandom(seed, row));
        return output;
    }

    /// <summary>The output shape [C, H', W'] for images of shape [C, H, W].</summary>
    public int[] OutputShape(int[] shape) => OutputShape(CheckShape(shape, null), "image").Select(d => (int)d).ToArray();

    private static long[] CheckShape(int[] shape, int? length)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != 3 || shape.Any(d => d < 1))
            throw new ArgumentException($"An image shape is [C, H, W] with positive sizes; got [{string.Join(", ", shape)}].", nameof(shape));
        var s = shape.Select(d => (long)d).ToArray();
        if (length is { } n && s[0] * s[1] * s[2] != n)
            throw new ArgumentException($"The image holds {n} values, not the {s[0] * s[1] * s[2]} of shape [{string.Join(", ", shape)}].", nameof(shape));
        return s;
    }

    /// <summary>Bilinear sample of channel plane <paramref name="plane"/> at (y, x); <paramref name="fill"/> outside.</summary>
    private protected static float Bilinear(ReadOnlySpan<float> plane, int height, int width, double y, double x, float fill)
    {
        var y0 = (int)Math.Floor(y);
        var x0 = (int)Math.Floor(x);
        var fy = y - y0;
        var fx = x - x0;
        return (float)((1 - fy) * ((1 - fx) * At(plane, height, width, y0, x0, fill) + fx * At(plane, height, width, y0, x0 + 1, fill))
            + fy * ((1 - fx) * At(plane, height, width, y0 + 1, x0, fill) + fx * At(plane, height, width, y0 + 1, x0 + 1, fill)));
    }

    private static double At(ReadOnlySpan<float> plane, int height, int width, int y, int x, float fill) =>
        y < 0 || y >= height || x < 0 || x >= width ? fill : plane[y * width + x];
}
