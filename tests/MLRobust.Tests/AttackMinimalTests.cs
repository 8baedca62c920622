using MLRobust.Attacks;
using MLRobust.Metrics;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>DeepFool, Carlini-Wagner L2 and FGSM's minimal mode: the attacks that look for the smallest perturbation.</summary>
public class AttackMinimalTests
{
    /// <summary>On a linear classifier the linearisation is exact: DeepFool's first step lands on the nearest
    /// boundary (plus 1e-4), and the 2% overshoot carries it across, so every sample flips in one step, by the
    /// analytic r = (|f_l| + 1e-4) / ‖w_l‖² · w_l, l the class of least |f_j| / ‖w_j‖.</summary>
    [Fact]
    public void DeepFoolCrossesALinearBoundaryInOneStep()
    {
        using var scope = NewDisposeScope();
        const int k = 4, d = 16, n = 6;
        var rng = new Random(3);
        var weights = new float[k, d];
        for (var i = 0; i < k; i++) for (var j = 0; j < d; j++) weights[i, j] = (float)(rng.NextDouble() * 2 - 1);
        var bias = new[] { 0.3f, -0.2f, 0.1f, 0f };
        var model = Linear(weights, bias);
        var x = Images(n, 1, 4, 4, seed: 8, low: 0.4, high: 0.6);
        var pixels = x.data<float>().ToArray();
        var labels = model.call(x).argmax(1);
        using var result = new DeepFool(new LogitsAttackTarget(model, k)).Run(x, labels);
        var adversarial = result.Adversarial.data<float>().ToArray();
        var label = labels.data<long>().ToArray();
        for (var s = 0; s < n; s++)
        {
            Assert.True(result.Success[s]);
            Assert.Equal(1, result.Steps[s]);
            var z = Enumerable.Range(0, k).Select(c => bias[c] + Enumerable.Range(0, d).Sum(j => (double)weights[c, j] * pixels[s * d + j])).ToArray();
            var y = (int)label[s];
            var best = -1;
            var bestDistance = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                if (c == y) continue;
                var wNorm = Math.Sqrt(Enumerable.Range(0, d).Sum(j => Math.Pow(weights[c, j] - weights[y, j], 2)));
                var distance = Math.Abs(z[c] - z[y]) / wNorm;
                if (distance < bestDistance) (best, bestDistance) = (c, distance);
            }
            // The reference implementation's step: r = (|Δf| / ‖w‖ + 1e-4) · w / ‖w‖, then x' = x + (1 + overshoot) · r.
            var norm = Math.Sqrt(Enumerable.Range(0, d).Sum(j => Math.Pow(weights[best, j] - weights[y, j], 2)));
            var scale = 1.02 * (bestDistance + 1e-4) / norm;
            for (var j = 0; j < d; j++)
                Assert.Equal(pixels[s * d + j] + scale * (weights[best, j] - weights[y, j]), adversarial[s * d + j], 5);
            // The perturbation's length is (1 + overshoot)(distance + 1e-4) exactly (the margin is on the distance, not
            // on the logit difference, which would make it 1e-4 / ‖w‖).
            var length = Math.Sqrt(Enumerable.Range(0, d).Sum(j => Math.Pow(adversarial[s * d + j] - pixels[s * d + j], 2)));
            Assert.Equal(1.02 * (bestDistance + 1e-4), length, 6);
            Assert.Equal(best, result.Predictions[s]);
        }
    }

    /// <summary>At equal (full) success, C&amp;W finds smaller L2 perturbations than PGD-L2 with the smallest ε of a
    /// grid that fools every sample. A tiny initial c still succeeds: the binary search raises it.</summary>
    [Fact]
    public void CarliniWagnerBeatsPgdL2AtEqualSuccess()
    {
        using var scope = NewDisposeScope();
        var model = Mlp(64, 32, 12, seed: 4);
        var target = new LogitsAttackTarget(model, 12);
        var x = Images(10, 1, 8, 8, seed: 6);
        var labels = model.call(x).argmax(1);

        AttackResult? pgd = null;
        foreach (var eps in new[] { 0.25, 0.5, 1.0, 2.0, 4.0 })
        {
            pgd?.Dispose();
            pgd = new Pgd(target, new PgdOptions { Norm = PgdNorm.L2, Epsilon = eps, StepSize = eps / 4, Steps = 40, Seed = 1 }).Run(x, labels);
            if (pgd.SuccessRate == 1) break;
        }
        Assert.Equal(1.0, pgd!.SuccessRate);
        var cwOptions = new CarliniWagnerL2Options { BinarySearchSteps = 6, MaxIterations = 150, LearningRate = 0.05, InitialConstant = 1e-4 };
        using var cw = new CarliniWagnerL2(target, cwOptions).Run(x, labels);
        Assert.Equal(1.0, cw.SuccessRate);
        var pgdL2 = PerturbationMetrics.Compute(x, pgd.Adversarial, InputRange.Unit).L2;
        var cwL2 = PerturbationMetrics.Compute(x, cw.Adversarial, InputRange.Unit).L2;
        Assert.True(cwL2.Average() < pgdL2.Average(), $"C&W mean L2 {cwL2.Average()} should be below PGD-L2's {pgdL2.Average()}");
        Assert.All(cwL2.Zip(pgdL2), p => Assert.True(p.First < p.Second, $"C&W L2 {p.First} vs PGD-L2 {p.Second}"));
        pgd.Dispose();
    }

    [Fact]
    public void CarliniWagnerReachesAGivenTarget()
    {
        using var scope = NewDisposeScope();
        var model = Mlp(64, 32, 12, seed: 5);
        var x = Images(6, 1, 8, 8, seed: 3);
        var labels = model.call(x).argmax(1);
        var targets = (labels + 5).remainder(12);
        var options = new CarliniWagnerL2Options { Target = TargetSelection.Given, BinarySearchSteps = 5, MaxIterations = 150, LearningRate = 0.05 };
        using var result = new CarliniWagnerL2(new LogitsAttackTarget(model, 12), options).Run(x, labels, targets);
        Assert.Equal(targets.data<long>().ToArray(), result.Predictions);
        Assert.All(result.Success, Assert.True);
    }

    /// <summary>Minimal FGSM keeps, per sample, the first ε of the grid that flips it: ε − step does not.</summary>
    [Fact]
    public void MinimalFgsmFindsTheFirstFlippingEpsilon()
    {
        using var scope = NewDisposeScope();
        var model = SmallCnn(1, 3, 8, seed: 5);
        var target = new LogitsAttackTarget(model, 3);
        var x = Images(8, 1, 8, 8, seed: 9);
        var labels = model.call(x).argmax(1);
        const double step = 2 / 255.0;
        using var result = new Fgsm(target, new FgsmOptions { Minimal = true, EpsilonStep = step, MaxEpsilon = 0.5 }).Run(x, labels);
        for (var i = 0; i < 8; i++)
        {
            if (!result.Success[i]) continue;
            var k = result.Steps[i];
            using var at = new Fgsm(target, new FgsmOptions { Epsilon = k * step }).Run(x.narrow(0, i, 1), labels.narrow(0, i, 1));
            Assert.True(at.Success[0]);
            if (k > 1)
            {
                using var before = new Fgsm(target, new FgsmOptions { Epsilon = (k - 1) * step }).Run(x.narrow(0, i, 1), labels.narrow(0, i, 1));
                Assert.False(before.Success[0]);
            }
        }
        Assert.True(result.SuccessRate > 0.5);
    }
}
