using MLRobust.Attacks;
using MLRobust.Metrics;
using MLRobust.Serialization;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Per-sample perturbation metrics against hand-computed values, and SSIM against scikit-image.</summary>
public class MetricTests
{
    [Fact]
    public void MetricsMatchAWorkedExampleOnBothScales()
    {
        using var scope = NewDisposeScope();
        // Sample 0 changes two of four pixels by 3 and 4 grey levels; sample 1 is unchanged.
        var original = tensor(new float[] { 10, 20, 30, 40, 0, 0, 255, 255 }, new long[] { 2, 1, 2, 2 });
        var adversarial = tensor(new float[] { 13, 20, 30, 36, 0, 0, 255, 255 }, new long[] { 2, 1, 2, 2 });
        var grey = PerturbationMetrics.Compute(original, adversarial, InputRange.Grey);
        // d = (1/255)·sqrt((9 + 16) / 4) = 2.5 / 255; MAE = 7 / 4; L0 = 2; L2 = 5; L∞ = 4.
        Assert.Equal(2.5 / 255, grey.Distortion[0], 12);
        Assert.Equal(1.75, grey.Mae[0], 12);
        Assert.Equal(2, grey.L0[0]);
        Assert.Equal(5, grey.L2[0], 12);
        Assert.Equal(4, grey.LInf[0], 12);
        Assert.Equal(new double[] { 0, 0, 0, 0, 0 }, new[] { grey.Distortion[1], grey.Mae[1], grey.L0[1], grey.L2[1], grey.LInf[1] });
        Assert.True(double.IsNaN(grey.Ssim[0]), "2x2 images are smaller than the 11x11 window");

        // The same images on [0, 1]: distortion is scale-free, sizes scale by 1/255.
        var unit = PerturbationMetrics.Compute(original / 255, adversarial / 255, InputRange.Unit);
        Assert.Equal(2.5 / 255, unit.Distortion[0], 7);
        Assert.Equal(1.75 / 255, unit.Mae[0], 7);
        Assert.Equal(2, unit.L0[0]);
        Assert.Equal(5 / 255.0, unit.L2[0], 7);
        Assert.Equal(4 / 255.0, unit.LInf[0], 7);
    }

    [Fact]
    public void SsimEqualsScikitImage()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var a = Images(3, 2, 16, 13, seed: 4);
        // b: a plus noise, clipped; sample 2 identical to a (SSIM 1).
        var noise = Images(3, 2, 16, 13, seed: 5, low: -0.3, high: 0.3);
        var b = (a + noise).clamp(0, 1);
        b[2].copy_(a[2]);
        var unit = Ssim.Compute(a, b, 1.0);
        var grey = Ssim.Compute(a * 255, b * 255, 255.0);
        SafeTensors.Save(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }, dir.File("in.safetensors"));
        var output = Run($$"""
from skimage.metrics import structural_similarity
d = load({{Py(dir.File("in.safetensors"))}})
a, b = d['a'].double().numpy(), d['b'].double().numpy()
for i in range(a.shape[0]):
    print(repr(structural_similarity(a[i], b[i], channel_axis=0, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1.0)))
    print(repr(structural_similarity(a[i] * 255, b[i] * 255, channel_axis=0, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255.0)))
""");
        var expected = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[2 * i], unit[i], 7);
            Assert.Equal(expected[2 * i + 1], grey[i], 7);
        }
        Assert.Equal(1.0, unit[2], 12);
        Assert.True(unit[0] < 0.9, "noisy images are less similar");
    }
}
