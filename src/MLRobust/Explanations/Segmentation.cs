using MLRobust.Attacks;

namespace MLRobust.Explanations;

/// <summary>A partition of an H×W image into superpixels: every pixel carries a label 0 … <see cref="Count"/> − 1.</summary>
public sealed class Segmentation
{
    private readonly int[] _labels;
    private readonly int[] _sizes;

    /// <summary>A segmentation from per-pixel labels (row-major, H·W of them). Any non-negative labels are accepted and
    /// renumbered 0 … K − 1 in increasing order of the given label, so labels need not be consecutive.</summary>
    public Segmentation(int height, int width, IReadOnlyList<int> labels)
    {
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"A segmentation needs a positive size; got {height}x{width}.");
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != height * width)
            throw new ArgumentException($"{labels.Count} labels do not cover a {height}x{width} image ({height * width} pixels).", nameof(labels));
        var distinct = new SortedSet<int>();
        foreach (var l in labels)
        {
            if (l < 0) throw new ArgumentException($"Superpixel labels must be non-negative; got {l}.", nameof(labels));
            distinct.Add(l);
        }
        var rank = new Dictionary<int, int>();
        foreach (var l in distinct) rank[l] = rank.Count;
        _labels = new int[labels.Count];
        _sizes = new int[rank.Count];
        for (var p = 0; p < _labels.Length; p++) _sizes[_labels[p] = rank[labels[p]]]++;
        Height = height;
        Width = width;
    }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Number of superpixels K.</summary>
    public int Count => _sizes.Length;

    /// <summary>The label of every pixel, row-major (H·W values in 0 … K − 1).</summary>
    public IReadOnlyList<int> Labels => _labels;

    /// <summary>The label of pixel (<paramref name="y"/>, <paramref name="x"/>).</summary>
    public int this[int y, int x] => _labels[y * Width + x];

    /// <summary>Pixels in each superpixel.</summary>
    public IReadOnlyList<int> Sizes => _sizes;

    internal ReadOnlySpan<int> LabelSpan => _labels;

    /// <summary>The fraction of pixels on which two segmentations agree about being on a boundary (a pixel is on a
    /// boundary when its right or lower neighbour has another label): label-permutation free, so it compares
    /// segmentations whose labels are numbered differently.</summary>
    public double BoundaryAgreement(Segmentation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Height != Height || other.Width != Width)
            throw new ArgumentException($"Segmentations of {Height}x{Width} and {other.Height}x{other.Width} images can't be compared.", nameof(other));
        var agree = 0;
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                if (OnBoundary(y, x) == other.OnBoundary(y, x)) agree++;
        return agree / (double)(Height * Width);
    }

    /// <summary>Whether the pixel's right or lower neighbour has another label.</summary>
    public bool OnBoundary(int y, int x)
    {
        var l = this[y, x];
        return (x + 1 < Width && this[y, x + 1] != l) || (y + 1 < Height && this[y + 1, x] != l);
    }
}

/// <summary>Splits an image into superpixels for LIME.</summary>
public interface ISuperpixelSegmenter
{
    /// <summary>Segments one image of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/> values
    /// (channel-major, as a [C, H, W] tensor holds them) whose values lie in <paramref name="range"/>.</summary>
    Segmentation Segment(ReadOnlySpan<float> image, int channels, int height, int width, InputRange range);
}

/// <summary>A regular grid of cells of <see cref="CellHeight"/>×<see cref="CellWidth"/> pixels (the last row and
/// column of cells take what is left): superpixels that do not depend on the image.</summary>
public sealed class GridSegmenter : ISuperpixelSegmenter
{
    /// <summary>Cells of <paramref name="cellHeight"/>×<paramref name="cellWidth"/> pixels.</summary>
    public GridSegmenter(int cellHeight, int cellWidth)
    {
        if (cellHeight < 1) throw new ArgumentOutOfRangeException(nameof(cellHeight), cellHeight, "A grid cell needs at least one row.");
        if (cellWidth < 1) throw new ArgumentOutOfRangeException(nameof(cellWidth), cellWidth, "A grid cell needs at least one column.");
        CellHeight = cellHeight;
        CellWidth = cellWidth;
    }

    /// <summary>Rows of pixels per cell.</summary>
    public int CellHeight { get; }

    /// <summary>Columns of pixels per cell.</summary>
    public int CellWidth { get; }

    /// <summary>The grid over an image of this size (the pixels are not looked at).</summary>
    public Segmentation Segment(int height, int width)
    {
        var columns = (width + CellWidth - 1) / CellWidth;
        var labels = new int[height * width];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                labels[y * width + x] = (y / CellHeight) * columns + x / CellWidth;
        return new Segmentation(height, width, labels);
    }

    /// <inheritdoc />
    public Segmentation Segment(ReadOnlySpan<float> image, int channels, int height, int width, InputRange range) => Segment(height, width);
}
