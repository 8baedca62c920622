using MLRobust.Attacks;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Iterative FGSM until the label flips, on a model whose flip step is known: on [0, 255] with
/// α = 1 grey level, logits (0, (Σx − T − 0.5) / 64). The class-1 gradient has the same sign on every pixel,
/// so each step adds 1 to every pixel below 255 and the label flips at the first k with
/// Σ min(xᵢ + k, 255) > T + 0.5. Sums of integers scaled by a power of two: float32 is exact.</summary>
public class AttackIterativeFgsmTests
{
    private const int Side = 4, D = Side * Side, Threshold = 2000, MaxSteps = 100;

    private static (nn.Module<Tensor, Tensor> Model, float[] Pixels, int N) Setup()
    {
        var weights = new float[2, D];
        for (var i = 0; i < D; i++) weights[1, i] = 1f / 64;
        var model = Linear(weights, new[] { 0f, -(Threshold + 0.5f) / 64 });
        // Per-sample pixel ranges chosen so the flip steps spread over 0…MaxSteps, one sample never flips
        // within MaxSteps (all zeros: needs 126 steps) and one has flipped before the first step.
        var lows = new[] { 0, 130, 10, 25, 40, 55, 70, 85, 95, 100 };
        var rng = new Random(5);
        var pixels = new float[lows.Length * D];
        for (var s = 0; s < lows.Length; s++)
            for (var i = 0; i < D; i++)
                pixels[s * D + i] = lows[s] == 0 ? 0 : Math.Min(255, lows[s] + rng.Next(0, 61));
        return (model, pixels, lows.Length);
    }

    private static int ExpectedSteps(ReadOnlySpan<float> sample)
    {
        for (var k = 0; k <= MaxSteps; k++)
        {
            double sum = 0;
            foreach (var p in sample) sum += Math.Min(p + k, 255);
            if (sum > Threshold + 0.5) return k;
        }
        return -1;
    }

    [Theory]
    [InlineData(TargetSelection.Given)]
    [InlineData(TargetSelection.NextClass)]
    [InlineData(TargetSelection.Untargeted)]
    public void StopsAtEachSamplesFirstFlippingStep(TargetSelection selection)
    {
        using var scope = NewDisposeScope();
        var (model, pixels, n) = Setup();
        var x = tensor(pixels, new long[] { n, 1, Side, Side });
        var attack = new IterativeFgsm(new LogitsAttackTarget(model, 2), new IterativeFgsmOptions { Range = InputRange.Grey, MaxSteps = MaxSteps, Target = selection });
        using var result = attack.Run(x, zeros(new long[] { n }, ScalarType.Int64), selection == TargetSelection.Given ? ones(new long[] { n }, ScalarType.Int64) : null);

        var adversarial = result.Adversarial.data<float>().ToArray();
        var flips = new List<int>();
        for (var s = 0; s < n; s++)
        {
            var sample = pixels.AsSpan(s * D, D);
            var expected = ExpectedSteps(sample);
            if (expected < 0)
            {
                Assert.False(result.Success[s]);
                Assert.Equal(MaxSteps, result.Steps[s]);
                Assert.Equal(0, result.Predictions[s]);
                expected = MaxSteps;
            }
            else
            {
                Assert.True(result.Success[s], $"sample {s} should flip at step {expected}");
                Assert.Equal(expected, result.Steps[s]);
                Assert.Equal(1, result.Predictions[s]);
                flips.Add(expected);
            }
            // The image is exactly the clean one plus one grey level per step, clipped at 255.
            for (var i = 0; i < D; i++) Assert.Equal(Math.Min(sample[i] + expected, 255f), adversarial[s * D + i]);
        }
        Assert.Contains(0, flips);
        Assert.True(flips.Distinct().Count() >= 6, "the flip steps should differ between samples");
        Assert.Equal(selection == TargetSelection.Untargeted ? -1 : 1, result.Targets[0]);
    }

    /// <summary>Per-sample random streams and per-sample stopping: attacking images one by one (with their
    /// sample ids) gives what attacking them together gives.</summary>
    [Fact]
    public void BatchOfOneEqualsWholeBatch()
    {
        using var scope = NewDisposeScope();
        var model = SmallCnn(1, 5, 8, seed: 3);
        var target = new LogitsAttackTarget(model, 5);
        var x = Images(12, 1, 8, 8, seed: 2);
        // Labels = clean predictions, so untargeted attacks have work to do.
        using var logits = model.call(x);
        var labels = logits.argmax(1);
        var attacks = new Attack[]
        {
            new IterativeFgsm(target, new IterativeFgsmOptions { MaxSteps = 300 }),
            new Pgd(target, new PgdOptions { Seed = 9, EarlyStop = true, Steps = 20 }),
            new Pgd(target, new PgdOptions { Seed = 9, Norm = PgdNorm.L2, Steps = 5, Epsilon = 0.5 }),
            new MiFgsm(target, new MiFgsmOptions { EarlyStop = true, Epsilon = 16 / 255.0 }),
        };
        foreach (var attack in attacks)
        {
            using var whole = attack.Run(x, labels);
            for (var i = 0; i < 12; i++)
            {
                using var one = attack.Run(x.narrow(0, i, 1), labels.narrow(0, i, 1), sampleIds: new[] { (long)i });
                Assert.Equal(whole.Steps[i], one.Steps[0]);
                Assert.Equal(whole.Success[i], one.Success[0]);
                // Batched and single-image kernels of the model round differently (~1e-8 in the logits),
                // so images agree to float precision; a differing sign step would show as 1/255.
                Close(whole.Adversarial[i].data<float>().ToArray(), one.Adversarial[0].data<float>().ToArray(), 1e-6, $"{attack.Name} sample {i}");
            }
            Assert.True(whole.Steps.Distinct().Count() > 1 || attack is Pgd { Name: "pgd-l2" }, $"{attack.Name}: steps should differ between samples");
        }
    }

    [Fact]
    public void ImagesOutsideTheDeclaredRangeAreRejected()
    {
        using var scope = NewDisposeScope();
        var model = SmallCnn(1, 3, 8, seed: 1);
        var attack = new IterativeFgsm(new LogitsAttackTarget(model, 3));
        var error = Assert.Throws<ArgumentException>(() => attack.Run(Images(2, 1, 8, 8, 1) * 255, tensor(new long[] { 0, 1 })));
        Assert.Contains("InputRange.Grey", error.Message);
        Assert.Equal("images", error.ParamName);
        var labels = Assert.Throws<ArgumentOutOfRangeException>(() => attack.Run(Images(2, 1, 8, 8, 1), tensor(new long[] { 0, 3 })));
        Assert.Contains("outside the model's 3 classes", labels.Message);
        var given = Assert.Throws<ArgumentException>(() => new Fgsm(new LogitsAttackTarget(model, 3), new FgsmOptions { Target = TargetSelection.Given }).Run(Images(2, 1, 8, 8, 1), tensor(new long[] { 0, 1 })));
        Assert.Contains("targets", given.Message);
        Assert.Throws<InvalidOperationException>(() => new Fgsm(new LogitsAttackTarget(model, 3), new FgsmOptions { Target = TargetSelection.None }).Run(Images(2, 1, 8, 8, 1), tensor(new long[] { 0, 1 })));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Fgsm(new LogitsAttackTarget(model, 3), new FgsmOptions { Range = default(InputRange) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pgd(new LogitsAttackTarget(model, 3), new PgdOptions { Steps = -1 }));
    }
}
