using MLRobust.Attacks;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Interpolation sweeps on hand-built linear classifiers, whose thresholds are analytic: along
/// x(T) = (1 − T)·A + T·B every logit is affine in T.</summary>
public class AttackInterpolationTests
{
    /// <summary>Two pixels; A = (1, 0), B = (0, 1); logits (x₀ − x₁, x₁ − x₀, 0.3). Class c wins where
    /// |1 − 2T| &lt; 0.3, i.e. T ∈ (0.35, 0.65): a pop-up class, and b first wins at the first grid T above
    /// 0.65, which is 65/99. The reverse sweep is symmetric; the sum is 130/99.</summary>
    [Fact]
    public void ThresholdsAndPopUpClassOnAHandBuiltModel()
    {
        using var scope = NewDisposeScope();
        var model = Linear(new float[,] { { 1, -1 }, { -1, 1 }, { 0, 0 } }, new[] { 0f, 0f, 0.3f });
        var a = tensor(new float[] { 1, 0 }, new long[] { 1, 1, 1, 2 });
        var b = tensor(new float[] { 0, 1 }, new long[] { 1, 1, 1, 2 });
        var result = new LinearInterpolation(new LogitsAttackTarget(model, 3)).Run(a, tensor(new long[] { 0 }), b, tensor(new long[] { 1 }));
        Assert.Equal(100, result.Grid.Length);
        Assert.Equal(65 / 99.0, result.SwitchThreshold[0], 12);
        Assert.Equal(65 / 99.0, result.ReverseThreshold[0], 12);
        Assert.Equal(130 / 99.0, result.ThresholdSum[0], 12);
        Assert.Equal(new long[] { 2 }, result.PopUpClasses[0]);
        Assert.True(result.HasPopUp(0));
        // Class c exactly on T ∈ (0.35, 0.65): grid points 35/99 … 64/99.
        var expected = Enumerable.Range(0, 100).Select(k => k / 99.0 is var t && t < 0.35 ? 0L : t < 0.65 ? 2L : 1L).ToArray();
        Assert.Equal(expected, result.ForwardPredictions[0]);
    }

    /// <summary>Two classes, random weights: the switch is at the first grid T above T* = g_A / (g_A − g_B),
    /// g = z_b − z_a, computed here in double precision.</summary>
    [Fact]
    public void SwitchThresholdIsTheFirstGridPointAboveTheAnalyticT()
    {
        using var scope = NewDisposeScope();
        const int d = 16, pairs = 20;
        var rng = new Random(17);
        var weights = new float[2, d];
        for (var j = 0; j < d; j++)
        {
            weights[0, j] = (float)(rng.NextDouble() * 2 - 1);
            weights[1, j] = -weights[0, j];
        }
        // Centred at 0.5: z = W·(x − 0.5).
        var b0 = (float)Enumerable.Range(0, d).Sum(j => -0.5 * weights[0, j]);
        var model = Linear(weights, new[] { b0, -b0 });
        // A on class 0's side, B on class 1's side.
        var pa = new float[pairs * d];
        var pb = new float[pairs * d];
        for (var i = 0; i < pairs * d; i++)
        {
            var w = weights[0, i % d];
            pa[i] = (float)Math.Clamp(0.5 + Math.Sign(w) * rng.NextDouble() * 0.5, 0, 1);
            pb[i] = (float)Math.Clamp(0.5 - Math.Sign(w) * rng.NextDouble() * 0.5, 0, 1);
        }
        var result = new LinearInterpolation(new LogitsAttackTarget(model, 2)).Run(
            tensor(pa, new long[] { pairs, 1, 4, 4 }), zeros(new long[] { pairs }, ScalarType.Int64),
            tensor(pb, new long[] { pairs, 1, 4, 4 }), ones(new long[] { pairs }, ScalarType.Int64));
        var checkedPairs = 0;
        for (var p = 0; p < pairs; p++)
        {
            double G(float[] x) => -2.0 * b0 + Enumerable.Range(0, d).Sum(j => 2.0 * weights[1, j] * x[p * d + j]);
            var (ga, gb) = (G(pa), G(pb));
            Assert.True(ga < 0 && gb > 0);
            var tStar = ga / (ga - gb);
            var position = tStar * 99;
            if (Math.Abs(position - Math.Round(position)) < 1e-3) continue; // on a grid point: float rounding decides
            Assert.Equal(Math.Ceiling(position) / 99, result.SwitchThreshold[p], 12);
            // Reverse: from B towards A, a wins where g < 0, first above 1 − T*.
            Assert.Equal(Math.Ceiling((1 - tStar) * 99) / 99, result.ReverseThreshold[p], 12);
            Assert.Empty(result.PopUpClasses[p]);
            checkedPairs++;
        }
        Assert.True(checkedPairs >= 18);
    }
}
