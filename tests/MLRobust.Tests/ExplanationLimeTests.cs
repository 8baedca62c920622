using System.Diagnostics;
using MLRobust.Attacks;
using MLRobust.Explanations;
using Xunit.Abstractions;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>LIME: recovers the one superpixel a hand-built linear model depends on, fits the other weights at about 0,
/// is deterministic by seed and independent of the batch, and runs in a measured time on a 64×64 image.</summary>
public class ExplanationLimeTests
{
    private const int Side = 16, Cell = 4;

    private readonly ITestOutputHelper _output;

    public ExplanationLimeTests(ITestOutputHelper output) => _output = output;

    /// <summary>Pixels of the grid cell (row 1, column 2) of 4×4-pixel cells on a 16×16 image: superpixel 1·4 + 2 = 6.</summary>
    private const int Region = 6;

    private static bool InRegion(int p) => p / Side / Cell == 1 && p % Side / Cell == 2;

    /// <summary>Per-pixel weights of class 0 that only the region's pixels have (positive); class 1 looks at the rest.</summary>
    private static float[,] RegionWeights()
    {
        var weights = new float[2, Side * Side];
        var rng = new Random(3);
        for (var p = 0; p < Side * Side; p++)
        {
            if (InRegion(p)) weights[0, p] = (float)(0.5 + rng.NextDouble());
            else weights[1, p] = (float)(0.2 * rng.NextDouble());
        }
        return weights;
    }

    /// <summary>Images whose region is bright (above the image mean, so switching it off lowers class 0's score).</summary>
    private static Tensor Images(int n, int seed)
    {
        var values = Uniform(n * Side * Side, seed, 0, 0.4);
        for (var i = 0; i < n; i++)
            for (var p = 0; p < Side * Side; p++)
                if (InRegion(p)) values[i * Side * Side + p] += 0.5f;
        return tensor(values, new long[] { n, 1, Side, Side });
    }

    /// <summary>A score model whose class-0 score is exactly linear in the pixels: LIME's samples are then exactly linear in the masks.</summary>
    private static IAttackTarget LinearScores(float[,] weights)
    {
        var w = tensor(weights);
        return new ScoresAttackTarget(images => images.flatten(1).matmul(w.t()), 2, threshold: -1e6);
    }

    [Fact]
    public void LimeRecoversTheRegionALinearModelDependsOn()
    {
        var weights = RegionWeights();
        var model = LinearScores(weights);
        using var x = Images(3, seed: 11);
        using var classes = tensor(new long[] { 0, 0, 0 });

        // plain weighted least squares: the samples are exactly linear in the masks, so the fit is exact
        var exact = new Lime(model, new LimeOptions { Segmenter = new GridSegmenter(Cell, Cell), Regularization = 0 }).Explain(x, classes);
        var pixels = x.data<float>().ToArray();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(16, exact.Segmentations[i].Count);
            Assert.Equal(Region, exact.TopSuperpixels[i][0]);
            // the region's weight is what switching it off costs: Σ w_p (x_p − mean)
            var mean = pixels.AsSpan(i * 256, 256).ToArray().Average(v => (double)v);
            var cost = Enumerable.Range(0, 256).Where(InRegion).Sum(p => weights[0, p] * (pixels[i * 256 + p] - mean));
            Assert.Equal(cost, exact.Weights[i][Region], 3);
            for (var j = 0; j < 16; j++)
                if (j != Region) Assert.True(Math.Abs(exact.Weights[i][j]) < 1e-4 * cost, $"image {i}, superpixel {j}: weight {exact.Weights[i][j]}");
            Assert.True(exact.Scores[i] > 0.999999, $"R² {exact.Scores[i]}");
            // the heat map gives each pixel its superpixel's weight; the top mask covers the region (and with positive-only
            // ranking, at most the superpixels of positive weight)
            Assert.Equal((float)exact.Weights[i][Region], exact.HeatMaps[i][1 * Cell * Side + 2 * Cell]);
            var mask = exact.TopMask(i);
            Assert.All(Enumerable.Range(0, 256).Where(InRegion), p => Assert.Equal(1f, mask[p]));
            Assert.Equal(exact.Outputs[i], exact.Intercepts[i] + exact.Weights[i].Sum(), 3);
        }

        // LIME's own ridge (α = 1): shrunk, but the region still stands out and the rest stays near 0
        var ridge = new Lime(model, new LimeOptions { Segmenter = new GridSegmenter(Cell, Cell) }).Explain(x, classes);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Region, ridge.TopSuperpixels[i][0]);
            var top = ridge.Weights[i][Region];
            Assert.True(top > 0.5 * exact.Weights[i][Region]);
            for (var j = 0; j < 16; j++)
                if (j != Region) Assert.True(Math.Abs(ridge.Weights[i][j]) < 0.1 * top, $"image {i}, superpixel {j}: weight {ridge.Weights[i][j]} against {top}");
        }
    }

    /// <summary>A logits model (softmax probability, not linear in the masks): the region is still the top superpixel, and
    /// the predicted class is the one explained.</summary>
    [Fact]
    public void LimeExplainsTheProbabilityOfALogitsModel()
    {
        var weights = RegionWeights();
        using var module = Linear(weights, new float[] { 0, 0 });
        var model = AttackTarget.FromLogits(module, 2);
        using var x = Images(2, seed: 12);
        var explanation = new Lime(model, new LimeOptions { Segmenter = new GridSegmenter(Cell, Cell), TopSuperpixels = 1 }).Explain(x);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(0, explanation.Classes[i]);
            Assert.Equal(new[] { Region }, explanation.TopSuperpixels[i]);
            Assert.InRange(explanation.Outputs[i], 0.5, 1.0);
            var others = explanation.Weights[i].Where((_, j) => j != Region).Max(Math.Abs);
            Assert.True(others < 0.2 * explanation.Weights[i][Region], $"others up to {others}, region {explanation.Weights[i][Region]}");
        }
    }

    [Fact]
    public void LimeIsDeterministicAndIndependentOfTheBatch()
    {
        using var module = Mlp(64, 16, 3, seed: 2);
        var model = AttackTarget.FromLogits(module, 3);
        using var x = AttackTestSupport.Images(3, 1, 8, 8, seed: 4);
        var options = new LimeOptions { Segmenter = new GridSegmenter(2, 2), Samples = 60, BatchSize = 37, Seed = 9 };
        var all = new Lime(model, options).Explain(x);
        var again = new Lime(model, options).Explain(x);
        using var last = x.narrow(0, 2, 1);
        var alone = new Lime(model, options).Explain(last, sampleIds: new long[] { 2 });
        Assert.Equal(all.Weights[2], alone.Weights[0]);
        for (var i = 0; i < 3; i++) Assert.Equal(all.Weights[i], again.Weights[i]);
        var reseeded = new Lime(model, new LimeOptions { Segmenter = new GridSegmenter(2, 2), Samples = 60, Seed = 10 }).Explain(x);
        Assert.NotEqual(all.Weights[0], reseeded.Weights[0]);
    }

    [Fact]
    public void LimeMasksAndKernelAreLimes()
    {
        var masks = Lime.DrawMasks(150, 20, seed: 1, sampleId: 0);
        Assert.All(masks.Take(20), Assert.True);
        var on = masks.Skip(20).Count(m => m) / (double)(149 * 20);
        Assert.InRange(on, 0.45, 0.55);
        // all on: distance 0, weight 1; half on: d = 1 − √½, weight √exp(−d²/0.25²)
        var w = Lime.KernelWeights(new[] { true, true, true, true, true, false, true, false, false, false, false, false }, 3, 4, 0.25);
        Assert.Equal(1.0, w[0], 12);
        var d = 1 - Math.Sqrt(0.5);
        Assert.Equal(Math.Sqrt(Math.Exp(-d * d / 0.0625)), w[1], 12);
        Assert.Equal(Math.Sqrt(Math.Exp(-1 / 0.0625)), w[2], 12);
    }

    /// <summary>LIME with quickshift on a 64×64 image through a small CNN: measured, and the 150 perturbed images go through
    /// the model in batches.</summary>
    [Fact]
    public void LimeOnA64x64ImageWithQuickshift()
    {
        using var module = SmallCnnManaged(64, 5);
        var model = AttackTarget.FromLogits(module, 5);
        var image = ExplanationSegmentationTests.Shapes(1, 64, 64, seed: 3);
        using var x = tensor(image, new long[] { 1, 1, 64, 64 });
        var lime = new Lime(model, new LimeOptions { BatchSize = 64 });
        lime.Explain(x); // warm-up
        var watch = Stopwatch.StartNew();
        var segmentation = new QuickshiftSegmenter().Segment(image, 1, 64, 64, InputRange.Unit);
        var segmentTime = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var explanation = lime.Explain(x);
        var total = watch.Elapsed.TotalMilliseconds;
        _output.WriteLine($"64x64: quickshift {segmentTime:F1} ms ({segmentation.Count} superpixels), LIME (150 samples) {total:F1} ms per image, R² {explanation.Scores[0]:F3}");
        Assert.Equal(segmentation.Labels, explanation.Segmentations[0].Labels);
        Assert.True(segmentation.Count >= 5, $"{segmentation.Count} superpixels");
        Assert.Equal(64 * 64, explanation.HeatMaps[0].Length);
        Assert.True(total < 20_000);
    }

    /// <summary>Conv(1→4, 3×3) → tanh → max-pool 2 → Linear: weights from a managed generator (no libtorch seed needed).</summary>
    internal static nn.Module<Tensor, Tensor> SmallCnnManaged(int side, int classes, int seed = 7)
    {
        var rng = new Random(seed);
        float[] U(int count, double scale) => Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
        var conv = nn.Conv2d(1, 4, 3);
        var pooled = (side - 2) / 2;
        var fc = nn.Linear(4 * pooled * pooled, classes);
        using (no_grad())
        {
            using var cw = tensor(U(4 * 9, 1.0), new long[] { 4, 1, 3, 3 });
            using var cb = tensor(U(4, 0.3));
            using var fw = tensor(U(classes * 4 * pooled * pooled, 3.0 / Math.Sqrt(4 * pooled * pooled)), new long[] { classes, 4 * pooled * pooled });
            using var fb = tensor(U(classes, 0.3));
            conv.weight!.copy_(cw);
            conv.bias!.copy_(cb);
            fc.weight!.copy_(fw);
            fc.bias!.copy_(fb);
        }
        return nn.Sequential(("conv", conv), ("tanh", nn.Tanh()), ("pool", nn.MaxPool2d(2)), ("flat", nn.Flatten()), ("fc", fc));
    }
}
