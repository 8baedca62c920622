using System.Globalization;
using MLRobust.Attacks;
using MLRobust.Explanations;
using Xunit.Abstractions;
using static MLRobust.Tests.AttackTestSupport;

namespace MLRobust.Tests;

/// <summary>Superpixels: quickshift against scikit-image's (exactly, when fed scikit-image's tie noise; and by segment
/// count and boundary agreement with MLRobust's own noise), and the grid.</summary>
public class ExplanationSegmentationTests
{
    private readonly ITestOutputHelper _output;

    public ExplanationSegmentationTests(ITestOutputHelper output) => _output = output;

    /// <summary>A [C, H, W] test image: a bright rectangle, a dark disc and a ramp, plus a little noise, per channel shifted.</summary>
    internal static float[] Shapes(int channels, int height, int width, int seed)
    {
        var rng = new Random(seed);
        var image = new float[channels * height * width];
        for (var c = 0; c < channels; c++)
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                {
                    var v = 0.3 + 0.2 * x / width + 0.1 * c;
                    if (y >= 3 && y < 10 && x >= 2 && x < 9) v = 0.9 - 0.1 * c;
                    if ((y - 16) * (y - 16) + (x - 13) * (x - 13) < 20) v = 0.05 + 0.2 * c;
                    image[(c * height + y) * width + x] = (float)(v + 0.04 * (rng.NextDouble() - 0.5));
                }
        return image;
    }

    private static int[] SkimageQuickshift(float[] image, int channels, int height, int width, double kernel, double maxDist, double ratio, out double[] noise)
    {
        var values = string.Join(",", image.Select(v => ((double)v).ToString("R", CultureInfo.InvariantCulture)));
        var script = $"""
from skimage.segmentation import quickshift
img = np.array([{values}], dtype=np.float32).astype(np.float64).reshape({channels}, {height}, {width})
img = np.ascontiguousarray(np.moveaxis(img, 0, -1))
labels = quickshift(img, ratio={Py(ratio)}, kernel_size={Py(kernel)}, max_dist={Py(maxDist)}, convert2lab=False, random_seed=42, channel_axis=-1)
noise = np.random.default_rng(42).normal(scale=0.00001, size=({height}, {width}))
print(' '.join(str(int(v)) for v in labels.ravel()))
print(' '.join(repr(float(v)) for v in noise.ravel()))
""";
        var lines = Run(script).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        noise = lines[1].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return lines[0].Split(' ').Select(int.Parse).ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void QuickshiftMatchesScikitImage(int channels)
    {
        const int height = 24, width = 20;
        // Intensities on a 0 … 20 scale, ratio 1: the arithmetic is then the same as scikit-image's, operation for operation.
        const double kernel = 1, maxDist = 3, ratio = 1;
        var image = Shapes(channels, height, width, seed: 5).Select(v => v * 20f).ToArray();
        var expected = SkimageQuickshift(image, channels, height, width, kernel, maxDist, ratio, out var noise);
        var segmenter = new QuickshiftSegmenter(new QuickshiftOptions { KernelSize = kernel, MaxDistance = maxDist, Ratio = ratio, IntensityScale = 1 });

        // fed scikit-image's own tie noise, the labels are the same, numbered the same way
        var same = segmenter.Segment(image, channels, height, width, InputRange.Unit, noise);
        Assert.Equal(expected, same.Labels.ToArray());
        Assert.True(same.Count > 5, $"only {same.Count} segments");

        // with MLRobust's own seeded noise: near ties may link differently
        var own = segmenter.Segment(image, channels, height, width, InputRange.Unit);
        var reference = new Segmentation(height, width, expected);
        var agreement = own.BoundaryAgreement(reference);
        var identical = own.Labels.SequenceEqual(expected);
        _output.WriteLine($"C={channels}: skimage {reference.Count} segments, own noise {own.Count}, boundary agreement {agreement:F4}, identical labels {identical}");
        Assert.InRange(own.Count, reference.Count - 2, reference.Count + 2);
        Assert.True(agreement >= 0.95, $"boundary agreement {agreement}");

        // deterministic by seed
        Assert.Equal(own.Labels, segmenter.Segment(image, channels, height, width, InputRange.Unit).Labels);
    }

    /// <summary>LIME's settings (kernel 4, max distance 200, ratio 0.2) on a 96×80 grey image of 16-pixel blocks, against scikit-image on the
    /// image scaled to 0 … 100 (what CIELAB lightness spans): the arithmetic rounds differently and the tie noise is
    /// MLRobust's own, so segment counts and boundaries are compared, not labels.</summary>
    [Fact]
    public void QuickshiftWithLimeDefaultsAgreesWithScikitImage()
    {
        const int height = 96, width = 80, block = 16;
        var rng = new Random(8);
        var levels = Enumerable.Range(0, (height / block) * (width / block)).Select(_ => rng.NextDouble()).ToArray();
        var image = new float[height * width];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                image[y * width + x] = (float)(levels[y / block * (width / block) + x / block] + 0.04 * (rng.NextDouble() - 0.5));
        var expected = SkimageQuickshift(image.Select(v => v * 100f).ToArray(), 1, height, width, 4, 200, 0.2, out _);
        var reference = new Segmentation(height, width, expected);
        var own = new QuickshiftSegmenter().Segment(image, 1, height, width, InputRange.Unit);
        var agreement = own.BoundaryAgreement(reference);
        _output.WriteLine($"LIME defaults, 96x80: skimage {reference.Count} segments, MLRobust {own.Count}, boundary agreement {agreement:F4}, identical labels {own.Labels.SequenceEqual(expected)}");
        Assert.True(reference.Count >= 5, $"scikit-image made {reference.Count} segments");
        Assert.InRange(own.Count, reference.Count - 1, reference.Count + 1);
        Assert.True(agreement >= 0.95, $"boundary agreement {agreement}");
    }

    /// <summary>The intensity scale and range make [0, 255] images segment as the same image in [0, 1].</summary>
    [Fact]
    public void QuickshiftIsRangeInvariant()
    {
        var image = Shapes(1, 24, 20, seed: 6);
        var grey = image.Select(v => v * 255f).ToArray();
        var segmenter = new QuickshiftSegmenter(new QuickshiftOptions { KernelSize = 2, MaxDistance = 8 });
        var a = segmenter.Segment(image, 1, 24, 20, InputRange.Unit);
        var b = segmenter.Segment(grey, 1, 24, 20, InputRange.Grey);
        Assert.True(a.BoundaryAgreement(b) > 0.99);
        Assert.InRange(b.Count, a.Count - 1, a.Count + 1);
    }

    [Fact]
    public void GridCoversTheImageInCells()
    {
        var grid = new GridSegmenter(4, 5).Segment(10, 12);
        Assert.Equal(3 * 3, grid.Count);
        Assert.Equal(0, grid[0, 0]);
        Assert.Equal(1, grid[0, 5]);
        Assert.Equal(8, grid[9, 11]);
        Assert.Equal(new[] { 20, 20, 8, 20, 20, 8, 10, 10, 4 }, grid.Sizes.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GridSegmenter(0, 3));
        Assert.Throws<ArgumentException>(() => new Segmentation(2, 2, new[] { 0, 1, 2 }));
    }
}
