using MLRobust.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Metrics;

/// <summary>
/// How far each adversarial image is from its original, per sample. Sizes are in the units of the declared
/// input range, except <see cref="Distortion"/>, which is range-free.
/// </summary>
public sealed class PerturbationMetrics
{
    private PerturbationMetrics(double[] distortion, double[] mae, double[] l0, double[] l2, double[] lInf, double[] ssim)
    {
        Distortion = distortion;
        Mae = mae;
        L0 = l0;
        L2 = l2;
        LInf = lInf;
        Ssim = ssim;
    }

    /// <summary>Szegedy's distortion d = sqrt(Σ((x̃ − x) / W)² / n), W the range width, n the number of values:
    /// on [0, 255] images, (1/255)·sqrt(Σ(x̃ − x)² / n) as the triple-staged paper reports it.</summary>
    public double[] Distortion { get; }

    /// <summary>Mean absolute error (1/n)·Σ|x̃ − x| (Ding and Moeller), in range units.</summary>
    public double[] Mae { get; }

    /// <summary>Number of values that changed.</summary>
    public double[] L0 { get; }

    /// <summary>Euclidean norm of x̃ − x, in range units.</summary>
    public double[] L2 { get; }

    /// <summary>Largest absolute change, in range units.</summary>
    public double[] LInf { get; }

    /// <summary>Structural similarity with data range W (see <see cref="Metrics.Ssim"/>); NaN for images smaller than 11x11.</summary>
    public double[] Ssim { get; }

    public int Count => Distortion.Length;

    /// <summary>Measures batches [N, C, H, W] (or [N, …]; SSIM needs four dimensions) of originals and adversarials.</summary>
    public static PerturbationMetrics Compute(Tensor original, Tensor adversarial, InputRange range)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(adversarial);
        if (!original.shape.SequenceEqual(adversarial.shape))
            throw new ArgumentException($"original [{string.Join(", ", original.shape)}] and adversarial [{string.Join(", ", adversarial.shape)}] differ in shape.");
        if (original.dim() < 2) throw new ArgumentException("Metrics need a batch [N, …].", nameof(original));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var n = original.size(0);
        var x = original.detach().to_type(ScalarType.Float64).reshape(n, -1);
        var y = adversarial.detach().to_type(ScalarType.Float64).to(x.device).reshape(n, -1);
        var diff = y - x;
        var abs = diff.abs();
        var width = range.Width;
        var distortion = (diff / HeldScalars.Held(width)).square().mean(1).sqrt();
        var mae = abs.mean(1);
        var l0 = diff.ne(HeldScalars.Zero).to_type(ScalarType.Float64).sum(1);
        var l2 = diff.square().sum(1).sqrt();
        var lInf = abs.amax(new long[] { 1 });
        var ssim = original.dim() == 4 ? Metrics.Ssim.Compute(original, adversarial, width) : Enumerable.Repeat(double.NaN, (int)n).ToArray();
        return new PerturbationMetrics(Values(distortion), Values(mae), Values(l0), Values(l2), Values(lInf), ssim);
    }

    private static double[] Values(Tensor t) => t.cpu().data<double>().ToArray();
}
