using MLRobust.Attacks;

namespace MLRobust.Augmentation;

/// <summary>Rotation about the image centre by an angle uniform in [−<see cref="MaxDegrees"/>, <see cref="MaxDegrees"/>],
/// bilinear, <see cref="Fill"/> where the rotated image does not reach.</summary>
public sealed class RotationAugmentation : ImageAugmentation
{
    public RotationAugmentation(double maxDegrees, float fill = 0, InputRange? valueRange = null) : base(valueRange ?? InputRange.Unit)
    {
        if (!(maxDegrees >= 0 && maxDegrees <= 180)) throw new ArgumentOutOfRangeException(nameof(maxDegrees), maxDegrees, "The largest angle is 0 to 180 degrees.");
        MaxDegrees = maxDegrees;
        Fill = fill;
    }

    public double MaxDegrees { get; }
    public float Fill { get; }

    internal override string Kind => "Rotation";

    internal override void Apply(ReadOnlySpan<float> image, long[] shape, Span<float> output, SampleRandom random)
    {
        var (channels, height, width) = ((int)shape[0], (int)shape[1], (int)shape[2]);
        var angle = (random.NextDouble() * 2 - 1) * MaxDegrees * Math.PI / 180;
        var (sin, cos) = Math.SinCos(angle);
        var cy = (height - 1) / 2.0;
        var cx = (width - 1) / 2.0;
        for (var c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * height * width, height * width);
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    // Inverse mapping: the source of output pixel (y, x) is rotated back by −angle.
                    var dy = y - cy;
                    var dx = x - cx;
                    var sy = cy + cos * dy - sin * dx;
                    var sx = cx + sin * dy + cos * dx;
                    output[(c * height + y) * width + x] = Bilinear(plane, height, width, sy, sx, Fill);
                }
        }
    }
}

/// <summary>Translation by whole pixels, each axis uniform in [−<see cref="MaxPixels"/>, <see cref="MaxPixels"/>], <see cref="Fill"/> behind.</summary>
public sealed class ShiftAugmentation : ImageAugmentation
{
    public ShiftAugmentation(int maxPixels, float fill = 0, InputRange? valueRange = null) : base(valueRange ?? InputRange.Unit)
    {
        if (maxPixels < 0) throw new ArgumentOutOfRangeException(nameof(maxPixels), maxPixels, "The largest shift can't be negative.");
        MaxPixels = maxPixels;
        Fill = fill;
    }

    public int MaxPixels { get; }
    public float Fill { get; }

    internal override string Kind => "Shift";

    internal override void Apply(ReadOnlySpan<float> image, long[] shape, Span<float> output, SampleRandom random)
    {
        var dy = random.NextInt(2 * MaxPixels + 1) - MaxPixels;
        var dx = random.NextInt(2 * MaxPixels + 1) - MaxPixels;
        Crop.Window(image, shape, output, (int)shape[1], (int)shape[2], -dy, -dx, Fill);
    }
}

/// <summary>torchvision's RandomCrop: pad by <see cref="Padding"/> (<see cref="Fill"/>), then cut a
/// <see cref="Height"/> × <see cref="Width"/> window at a uniform offset. The output has that size.</summary>
public sealed class CropAugmentation : ImageAugmentation
{
    public CropAugmentation(int height, int width, int padding = 0, float fill = 0, InputRange? valueRange = null) : base(valueRange ?? InputRange.Unit)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"A crop needs a positive size; got {height}x{width}.");
        if (padding < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding can't be negative.");
        Height = height;
        Width = width;
        Padding = padding;
        Fill = fill;
    }

    public int Height { get; }
    public int Width { get; }
    public int Padding { get; }
    public float Fill { get; }

    internal override string Kind => "Crop";

    internal override long[] OutputShape(long[] shape, string column)
    {
        if (Height > shape[1] + 2 * Padding || Width > shape[2] + 2 * Padding)
            throw new ArgumentOutOfRangeException("height", $"A {Height}x{Width} crop does not fit the {shape[1]}x{shape[2]} images of column '{column}' padded by {Padding}.");
        return new[] { shape[0], Height, Width };
    }

    internal override void Apply(ReadOnlySpan<float> image, long[] shape, Span<float> output, SampleRandom random)
    {
        var top = random.NextInt((int)shape[1] + 2 * Padding - Height + 1) - Padding;
        var left = random.NextInt((int)shape[2] + 2 * Padding - Width + 1) - Padding;
        Crop.Window(image, shape, output, Height, Width, top, left, Fill);
    }
}

internal static class Crop
{
    /// <summary>Copies the window of <paramref name="height"/> × <paramref name="width"/> whose top-left corner is
    /// (<paramref name="top"/>, <paramref name="left"/>) in input coordinates; <paramref name="fill"/> outside the input.</summary>
    internal static void Window(ReadOnlySpan<float> image, long[] shape, Span<float> output, int height, int width, int top, int left, float fill)
    {
        var (channels, h, w) = ((int)shape[0], (int)shape[1], (int)shape[2]);
        for (var c = 0; c < channels; c++)
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    var sy = top + y;
                    var sx = left + x;
                    output[(c * height + y) * width + x] = sy < 0 || sy >= h || sx < 0 || sx >= w ? fill : image[(c * h + sy) * w + sx];
                }
    }
}

/// <summary>Additive Gaussian noise of standard deviation <see cref="StandardDeviation"/> (in range units), clipped to the range.</summary>
public sealed class GaussianNoiseAugmentation : ImageAugmentation
{
    public GaussianNoiseAugmentation(double standardDeviation, InputRange? valueRange = null) : base(valueRange ?? InputRange.Unit)
    {
        if (!(standardDeviation >= 0) || !double.IsFinite(standardDeviation)) throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The standard deviation must be zero or positive.");
        StandardDeviation = standardDeviation;
    }

    public double StandardDeviation { get; }

    internal override string Kind => "GaussianNoise";

    internal override void Apply(ReadOnlySpan<float> image, long[] shape, Span<float> output, SampleRandom random)
    {
        for (var i = 0; i < image.Length; i++)
            output[i] = (float)Math.Clamp(image[i] + StandardDeviation * random.NextGaussian(), ValueRange.Min, ValueRange.Max);
    }
}
