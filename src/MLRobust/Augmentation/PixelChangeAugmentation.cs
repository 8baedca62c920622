using MLRobust.Attacks;

namespace MLRobust.Augmentation;

/// <summary>How <see cref="PixelChangeAugmentation"/> picks a changed pixel's new value.</summary>
public enum PixelChangeMode
{
    /// <summary>Any whole grey level of the range (Zhang and Cai's "0-255").</summary>
    Replace,

    /// <summary>The old value plus a whole number of grey levels in [−R, R], clipped to the range ("±R").</summary>
    Offset,
}

/// <summary>
/// Zhang and Cai's small-distance samples (PAPERS.md §3): <see cref="Count"/> distinct pixel positions, drawn
/// uniformly inside the centred <see cref="Area"/> × <see cref="Area"/> square (the whole image by default), each get
/// a new value in every channel: any grey level (<see cref="PixelChangeMode.Replace"/>) or the old value ± up to
/// <see cref="Range"/> grey levels, clipped (<see cref="PixelChangeMode.Offset"/>). A value equal to the old one is
/// drawn again, so exactly <see cref="Count"/> pixels change.
/// </summary>
public sealed class PixelChangeAugmentation : ImageAugmentation
{
    public PixelChangeAugmentation(int count, int range = 255, int? area = null, PixelChangeMode? mode = null, InputRange? valueRange = null)
        : base(valueRange ?? InputRange.Unit)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "At least one pixel must change.");
        if (range < 1 || range > 255) throw new ArgumentOutOfRangeException(nameof(range), range, "The change range is 1 to 255 grey levels.");
        if (area is < 1) throw new ArgumentOutOfRangeException(nameof(area), area, "The area side must be at least 1 pixel.");
        Count = count;
        Range = range;
        Area = area;
        Mode = mode ?? (range >= 255 ? PixelChangeMode.Replace : PixelChangeMode.Offset);
    }

    public int Count { get; }

    /// <summary>R, in grey levels (1/255 of the value range).</summary>
    public int Range { get; }

    /// <summary>Side P of the centred square holding the changed pixels; null for the whole image.</summary>
    public int? Area { get; }

    public PixelChangeMode Mode { get; }

    internal override string Kind => "PixelChange";

    /// <summary>The rows and columns [top, top + height) × [left, left + width) the pixels are drawn from.</summary>
    public (int Top, int Left, int Height, int Width) Region(int height, int width)
    {
        var h = Area ?? height;
        var w = Area ?? width;
        return ((height - h) / 2, (width - w) / 2, h, w);
    }

    internal override long[] OutputShape(long[] shape, string column)
    {
        if (Area is { } p && (p > shape[1] || p > shape[2]))
            throw new ArgumentOutOfRangeException("area", p, $"The centred area {p}x{p} does not fit the {shape[1]}x{shape[2]} images of column '{column}'.");
        var (_, _, h, w) = Region((int)shape[1], (int)shape[2]);
        if (Count > h * w)
            throw new ArgumentOutOfRangeException("count", Count, $"{Count} pixels do not fit the {h}x{w} area of the images of column '{column}'.");
        return shape;
    }

    internal override void Apply(ReadOnlySpan<float> image, long[] shape, Span<float> output, SampleRandom random)
    {
        image.CopyTo(output);
        var (channels, height, width) = ((int)shape[0], (int)shape[1], (int)shape[2]);
        var (top, left, h, w) = Region(height, width);
        var grey = ValueRange.GreyLevel;
        // Partial Fisher-Yates: the first Count entries are distinct positions of the area.
        var positions = Enumerable.Range(0, h * w).ToArray();
        for (var k = 0; k < Count; k++)
        {
            var j = k + random.NextInt(positions.Length - k);
            (positions[k], positions[j]) = (positions[j], positions[k]);
            var y = top + positions[k] / w;
            var x = left + positions[k] % w;
            for (var c = 0; c < channels; c++)
            {
                var index = (c * height + y) * width + x;
                var old = image[index];
                float value;
                do
                {
                    value = Mode == PixelChangeMode.Replace
                        ? (float)(ValueRange.Min + random.NextInt(256) * grey)
                        : (float)Math.Clamp(old + NonZeroOffset(random) * grey, ValueRange.Min, ValueRange.Max);
                }
                while (value == old);
                output[index] = value;
            }
        }
    }

    /// <summary>A whole number of grey levels in [−R, −1] ∪ [1, R], uniformly.</summary>
    private int NonZeroOffset(SampleRandom random)
    {
        var o = random.NextInt(2 * Range) - Range;
        return o >= 0 ? o + 1 : o;
    }
}
