using MLRobust.Attacks;
using MLRobust.Augmentation;

namespace MLRobust.Robustness;

/// <summary>Options of <see cref="PixelSensitivity"/>: the grid of pixel changes (every combination of
/// <see cref="Counts"/>, <see cref="Ranges"/> and <see cref="AreaSides"/>; give one value of a list to sweep the others
/// alone, as the paper's experiments do) and how many random draws each setting gets.</summary>
public sealed class PixelSensitivityOptions
{
    /// <summary>In <see cref="AreaSides"/>: the whole image (H × W, square or not).</summary>
    public const int WholeImage = 0;

    /// <summary>In <see cref="Ranges"/>: replace the pixel with any grey level (the paper's "0-255").</summary>
    public const int FullRange = 255;

    /// <summary>The paper's pixel counts: 4, 8, 16, 32, 64 (for 224 × 224 images).</summary>
    public static IReadOnlyList<int> DefaultCounts { get; } = new[] { 4, 8, 16, 32, 64 };

    /// <summary>The paper's change ranges: ±10, ±40, ±70, ±100, ±127 grey levels, then any value (0-255).</summary>
    public static IReadOnlyList<int> DefaultRanges { get; } = new[] { 10, 40, 70, 100, 127, FullRange };

    /// <summary>Numbers of changed pixels; null: <see cref="DefaultCounts"/>.</summary>
    public int[]? Counts;

    /// <summary>Change ranges in grey levels: R in 1…254 changes a pixel by a whole number of levels in [−R, R] (not 0),
    /// clipped to the range; <see cref="FullRange"/> (255) replaces it with any other level. Null: <see cref="DefaultRanges"/>.</summary>
    public int[]? Ranges;

    /// <summary>Sides P of the centred P × P squares the changed pixels are drawn from, <see cref="WholeImage"/> for the
    /// whole image. Null: the whole image, then centred squares of 3/4, 1/2 and 1/4 of the shorter side (from the full
    /// image down to the centre).</summary>
    public int[]? AreaSides;

    /// <summary>Random draws per image and setting; default 1. Rates are over images × repeats.</summary>
    public int Repeats = 1;

    /// <summary>Seeds the draws. Each image and repeat has its own stream (row, repeat), the same for every setting, so
    /// settings are compared on common random numbers and the batch size changes nothing.</summary>
    public int Seed;

    /// <summary>Images per forward pass; default 256.</summary>
    public int BatchSize = 256;

    /// <summary>The images' value range; null: the model's declared range, else [0, 1].</summary>
    public InputRange? Range;

    /// <summary>The settings for H × W images, in the order counts, then ranges, then areas (outermost first), and those left
    /// out because the area holds fewer pixels than the count; throws naming the option that is wrong.</summary>
    internal (List<PixelChangeSetting> Settings, List<PixelChangeSetting> Skipped) Settings(int height, int width)
    {
        Validate();
        var counts = Counts ?? DefaultCounts.ToArray();
        var ranges = Ranges ?? DefaultRanges.ToArray();
        var shorter = Math.Min(height, width);
        var areas = AreaSides ?? new[] { WholeImage, shorter * 3 / 4, shorter / 2, shorter / 4 }.Where(s => s == WholeImage || s >= 1).Distinct().ToArray();
        foreach (var side in areas)
            if (side > height || side > width)
                throw new ArgumentOutOfRangeException(nameof(AreaSides), side, $"{nameof(AreaSides)} holds {side}: a centred {side}x{side} area is larger than the {height}x{width} images.");
        var settings = new List<PixelChangeSetting>();
        var skipped = new List<PixelChangeSetting>();
        foreach (var count in counts)
        foreach (var range in ranges)
        foreach (var side in areas)
        {
            var (h, w) = side == WholeImage ? (height, width) : (side, side);
            var setting = new PixelChangeSetting(count, range, range >= FullRange ? PixelChangeMode.Replace : PixelChangeMode.Offset, side, h, w);
            (count <= h * w ? settings : skipped).Add(setting);
        }
        return (settings, skipped);
    }

    /// <summary>A copy the evaluation may fill in without touching the caller's options.</summary>
    internal PixelSensitivityOptions Copy() => (PixelSensitivityOptions)MemberwiseClone();

    internal void Validate()
    {
        Check(Counts, nameof(Counts), 1, int.MaxValue, "at least 1 pixel");
        Check(Ranges, nameof(Ranges), 1, FullRange, "1 to 255 grey levels");
        Check(AreaSides, nameof(AreaSides), 0, int.MaxValue, $"{WholeImage} (the whole image) or a positive side");
        if (Repeats < 1) throw new ArgumentOutOfRangeException(nameof(Repeats), Repeats, $"{nameof(Repeats)} must be at least 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{nameof(BatchSize)} must be at least 1.");
        if (Range is { } r && !(r.Max > r.Min)) throw new ArgumentOutOfRangeException(nameof(Range), r, "The input range needs Max > Min.");
    }

    private static void Check(int[]? values, string name, int min, int max, string what)
    {
        if (values is null) return;
        if (values.Length == 0) throw new ArgumentException($"{name} is empty: give at least one value, or null for the defaults.", name);
        foreach (var v in values)
            if (v < min || v > max) throw new ArgumentOutOfRangeException(name, v, $"{name} holds {v}; each must be {what}.");
        if (values.Distinct().Count() != values.Length) throw new ArgumentException($"{name} holds the same value twice.", name);
    }
}

/// <summary>One pixel-change setting of a <see cref="PixelSensitivity"/> sweep.</summary>
/// <param name="Count">Changed pixels per image.</param>
/// <param name="Range">Change range in grey levels (255: any value).</param>
/// <param name="Mode">Replace (range 255) or offset by ±<paramref name="Range"/>.</param>
/// <param name="AreaSide">Side of the centred square, or <see cref="PixelSensitivityOptions.WholeImage"/>.</param>
/// <param name="AreaHeight">Rows of the area the pixels are drawn from.</param>
/// <param name="AreaWidth">Columns of that area.</param>
public sealed record PixelChangeSetting(int Count, int Range, PixelChangeMode Mode, int AreaSide, int AreaHeight, int AreaWidth)
{
    /// <summary>Pixels of the area the changes are drawn from.</summary>
    public long AreaPixels => (long)AreaHeight * AreaWidth;

    /// <summary>The augmentation that makes this setting's changes.</summary>
    public PixelChangeAugmentation Augmentation(InputRange valueRange) =>
        new(Count, Range, AreaSide == PixelSensitivityOptions.WholeImage ? null : AreaSide, Mode, valueRange);
}
