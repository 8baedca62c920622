using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Metrics;

/// <summary>
/// Structural similarity (Wang et al. 2004) per sample of a batch [N, C, H, W]: an 11x11 Gaussian window with
/// σ = 1.5, K1 = 0.01, K2 = 0.03, population (not sample) covariances, over the "valid" positions where the
/// window fits (as scikit-image's <c>structural_similarity(gaussian_weights=True, sigma=1.5,
/// use_sample_covariance=False)</c>, which crops the border), averaged over positions and then channels.
/// Computed in float64. Images smaller than the window have no SSIM: NaN.
/// </summary>
public static class Ssim
{
    public const int WindowSize = 11;
    public const double Sigma = 1.5;
    public const double K1 = 0.01;
    public const double K2 = 0.03;

    /// <summary>SSIM [N] of <paramref name="a"/> against <paramref name="b"/> with dynamic range <paramref name="dataRange"/>.</summary>
    public static double[] Compute(Tensor a, Tensor b, double dataRange)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.dim() != 4 || !a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"SSIM needs two batches [N, C, H, W] of the same shape; got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        if (!(dataRange > 0) || !double.IsFinite(dataRange)) throw new ArgumentOutOfRangeException(nameof(dataRange), dataRange, "The data range must be positive.");
        var (n, c, h, w) = (a.size(0), a.size(1), a.size(2), a.size(3));
        if (h < WindowSize || w < WindowSize) return Enumerable.Repeat(double.NaN, (int)n).ToArray();

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Channels become batch entries so one single-channel window serves them all.
        var x = a.detach().to_type(ScalarType.Float64).reshape(n * c, 1, h, w);
        var y = b.detach().to_type(ScalarType.Float64).to(x.device).reshape(n * c, 1, h, w);
        var window = Window(x.device);
        Tensor Filter(Tensor t) => nn.functional.conv2d(t, window);
        var muX = Filter(x);
        var muY = Filter(y);
        var sxx = Filter(x * x) - muX * muX;
        var syy = Filter(y * y) - muY * muY;
        var sxy = Filter(x * y) - muX * muY;
        var c1 = Math.Pow(K1 * dataRange, 2);
        var c2 = Math.Pow(K2 * dataRange, 2);
        var map = (muX * muY * HeldScalars.Held(2) + HeldScalars.Held(c1)) * (sxy * HeldScalars.Held(2) + HeldScalars.Held(c2)) / ((muX.square() + muY.square() + HeldScalars.Held(c1)) * (sxx + syy + HeldScalars.Held(c2)));
        return map.reshape(n, -1).mean(1).data<double>().ToArray();
    }

    /// <summary>The normalised 11x11 Gaussian window (outer product of the 1-D kernel, as a separable filter applies it).</summary>
    private static Tensor Window(Device device)
    {
        var radius = WindowSize / 2;
        var g = new double[WindowSize];
        for (var i = 0; i < WindowSize; i++) g[i] = Math.Exp(-0.5 * Math.Pow((i - radius) / Sigma, 2));
        var total = g.Sum();
        for (var i = 0; i < WindowSize; i++) g[i] /= total;
        var k = new double[WindowSize * WindowSize];
        for (var i = 0; i < WindowSize; i++)
            for (var j = 0; j < WindowSize; j++)
                k[i * WindowSize + j] = g[i] * g[j];
        return tensor(k, new long[] { 1, 1, WindowSize, WindowSize }, device: device);
    }
}
