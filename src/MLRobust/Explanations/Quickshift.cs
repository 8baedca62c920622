using MLRobust.Attacks;

namespace MLRobust.Explanations;

/// <summary>Settings of quickshift superpixels (Vedaldi and Soatto 2008, as scikit-image's <c>quickshift</c>). Defaults
/// are the ones LIME segments images with: kernel size 4, max distance 200, ratio 0.2.</summary>
public sealed class QuickshiftOptions
{
    /// <summary>σ of the Gaussian kernel that estimates the density, in pixels; the search window is ±⌈3σ⌉ pixels.
    /// Larger: fewer superpixels.</summary>
    public double KernelSize = 4;

    /// <summary>A pixel whose nearest denser neighbour is further than this (in the joint intensity-position space)
    /// starts its own superpixel. Larger: fewer superpixels.</summary>
    public double MaxDistance = 200;

    /// <summary>Weight of intensity against position (scikit-image multiplies the image by it): larger values follow
    /// intensity edges more closely.</summary>
    public double Ratio = 0.2;

    /// <summary>What the full input range counts as in intensity units before <see cref="Ratio"/>: 100 by default, the span
    /// of CIELAB lightness that scikit-image and LIME segment colour images in, so that the defaults above mean for a grey
    /// image what they mean in LIME. Use 1 to segment the [0, 1]-normalised values as they are.</summary>
    public double IntensityScale = 100;

    /// <summary>Seed of the tiny density noise (σ = 1e-5, as scikit-image) that breaks ties between equal densities.</summary>
    public int Seed = 42;

    internal void Validate()
    {
        if (!(KernelSize >= 1) || !double.IsFinite(KernelSize)) throw new ArgumentOutOfRangeException(nameof(KernelSize), KernelSize, "KernelSize must be at least 1.");
        if (!(MaxDistance > 0)) throw new ArgumentOutOfRangeException(nameof(MaxDistance), MaxDistance, "MaxDistance must be positive.");
        if (!(Ratio >= 0) || !double.IsFinite(Ratio)) throw new ArgumentOutOfRangeException(nameof(Ratio), Ratio, "Ratio must be finite and non-negative.");
        if (!(IntensityScale > 0) || !double.IsFinite(IntensityScale)) throw new ArgumentOutOfRangeException(nameof(IntensityScale), IntensityScale, "IntensityScale must be finite and positive.");
    }
}

/// <summary>
/// Quickshift superpixels: each pixel's density is a Gaussian-weighted count of the pixels around it in the joint
/// (intensity, row, column) space; each pixel links to the nearest pixel of higher density within the window unless that
/// is further than <see cref="QuickshiftOptions.MaxDistance"/>; the trees of links are the superpixels. O(pixels · window²)
/// on the CPU, as scikit-image's implementation, which this follows step for step (same loop order, same tie noise
/// magnitude, labels numbered by their root pixel's index as <c>np.unique</c> does). Differences from scikit-image:
/// no CIELAB conversion (MLRobust's images are mostly grey: intensities are scaled by
/// <see cref="QuickshiftOptions.IntensityScale"/> instead), no Gaussian pre-smoothing (sigma = 0, its default), and the
/// tie-breaking noise comes from MLRobust's own seeded generator, not NumPy's: pixels whose densities differ by less
/// than ~1e-5 can link differently.
/// </summary>
public sealed class QuickshiftSegmenter : ISuperpixelSegmenter
{
    /// <summary>Quickshift with <paramref name="options"/> (null: LIME's defaults).</summary>
    public QuickshiftSegmenter(QuickshiftOptions? options = null)
    {
        Options = options ?? new QuickshiftOptions();
        Options.Validate();
    }

    /// <summary>The settings.</summary>
    public QuickshiftOptions Options { get; }

    /// <inheritdoc />
    public Segmentation Segment(ReadOnlySpan<float> image, int channels, int height, int width, InputRange range)
    {
        var noise = new double[height * width];
        var random = new SampleRandom(Options.Seed, 0);
        for (var i = 0; i < noise.Length; i++) noise[i] = 1e-5 * random.NextGaussian();
        return Segment(image, channels, height, width, range, noise);
    }

    /// <summary>Quickshift with the given tie-breaking density noise (H·W values): lets a test feed scikit-image's own
    /// noise and compare labels exactly.</summary>
    internal Segmentation Segment(ReadOnlySpan<float> image, int channels, int height, int width, InputRange range, ReadOnlySpan<double> noise)
    {
        if (channels < 1 || height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(channels), $"An image needs a positive shape; got [{channels}, {height}, {width}].");
        var pixels = height * width;
        if (image.Length != channels * pixels)
            throw new ArgumentException($"{image.Length} values do not make a [{channels}, {height}, {width}] image.", nameof(image));
        if (noise.Length != pixels) throw new ArgumentException($"{noise.Length} noise values for {pixels} pixels.", nameof(noise));

        // Features pixel-major (as scikit-image's [H, W, C] array), scaled as it scales them.
        var scale = Options.IntensityScale * Options.Ratio / range.Width;
        var features = new double[pixels * channels];
        for (var c = 0; c < channels; c++)
            for (var p = 0; p < pixels; p++)
                features[p * channels + c] = (image[c * pixels + p] - (double)range.Min) * scale;

        var inverseKernel = -0.5 / (Options.KernelSize * Options.KernelSize);
        var window = (int)Math.Ceiling(3 * Options.KernelSize);
        var density = noise.ToArray();
        for (var r = 0; r < height; r++)
        {
            int rMin = Math.Max(r - window, 0), rMax = Math.Min(r + window + 1, height);
            for (var c = 0; c < width; c++)
            {
                int cMin = Math.Max(c - window, 0), cMax = Math.Min(c + window + 1, width);
                var p = r * width + c;
                var sum = density[p];
                for (var r2 = rMin; r2 < rMax; r2++)
                    for (var c2 = cMin; c2 < cMax; c2++)
                        sum += Math.Exp(Distance2(features, channels, p, r2 * width + c2, r - r2, c - c2) * inverseKernel);
                density[p] = sum;
            }
        }

        var parent = new int[pixels];
        for (var r = 0; r < height; r++)
        {
            int rMin = Math.Max(r - window, 0), rMax = Math.Min(r + window + 1, height);
            for (var c = 0; c < width; c++)
            {
                int cMin = Math.Max(c - window, 0), cMax = Math.Min(c + window + 1, width);
                var p = r * width + c;
                parent[p] = p;
                var closest = double.MaxValue;
                for (var r2 = rMin; r2 < rMax; r2++)
                    for (var c2 = cMin; c2 < cMax; c2++)
                    {
                        var q = r2 * width + c2;
                        if (!(density[q] > density[p])) continue;
                        var d = Distance2(features, channels, p, q, r - r2, c - c2);
                        if (d < closest)
                        {
                            closest = d;
                            parent[p] = q;
                        }
                    }
                // Too far from any denser pixel: a root (no denser neighbour at all leaves closest at MaxValue).
                if (Math.Sqrt(closest) > Options.MaxDistance) parent[p] = p;
            }
        }

        // Every link goes to a strictly denser pixel, so following links ends at a root.
        var root = new int[pixels];
        for (var p = 0; p < pixels; p++)
        {
            var q = p;
            while (parent[q] != q) q = parent[q];
            root[p] = q;
        }
        return new Segmentation(height, width, root);
    }

    private static double Distance2(double[] features, int channels, int p, int q, int dr, int dc)
    {
        var d = 0.0;
        for (var k = 0; k < channels; k++)
        {
            var t = features[p * channels + k] - features[q * channels + k];
            d += t * t;
        }
        return d + (double)dr * dr + (double)dc * dc;
    }
}
