using MLRobust.Attacks;
using MLRobust.Augmentation;
using MLRobust.Robustness;
using Xunit.Abstractions;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Zhang and Cai's Pixel-index and pixel-change sweeps (<see cref="PixelIndex"/>, <see cref="PixelSensitivity"/>):
/// the paper's worked example, a model that only looks at the border (so changes drawn in the centre never misclassify),
/// an independent recount of the changes, the restore rate on a constructed case, validation and native memory.</summary>
public class PixelIndexTests(ITestOutputHelper output)
{
    private const int Side = 12, Centre = 6;

    [Fact]
    public void WorkedExample_OfThePaper()
    {
        // 10,000 images of 224 × 224, 64 pixels, range 0-255, area 200 × 200, 1,000 wrong.
        var terms = PixelIndex.Terms(misclassified: 1000, images: 10_000, changedPixels: 64, changeRangeGreyLevels: 255, areaPixels: 200 * 200, imagePixels: 224 * 224);
        Assert.Equal(0.10, terms.MisclassificationRate, 15);
        Assert.Equal(0.1276, Math.Round(terms.ChangedPixelFraction * 100, 4));
        Assert.Equal(1.0, terms.RangeFraction);
        Assert.Equal(79.72, Math.Round(terms.AreaFraction * 100, 2));
        // Unrounded: 0.1 · 50176² / (64 · 40000) = 98.3449…
        Assert.Equal(0.1 * 50176.0 * 50176.0 / (64.0 * 40000.0), terms.Value, 9);
        Assert.Equal(98.34, Math.Round(terms.Value, 2));
        // The paper's 98.30 divides by its rounded terms (0.1276 %, 79.72 %), giving 98.307…, printed to two decimals truncated.
        var paper = PixelIndex.Compute(0.10, 0.001276, 1.0, 0.7972);
        Assert.Equal(98.30, Math.Floor(paper * 100) / 100);
        Assert.Equal(0.0, PixelIndex.Compute(0, 0.01, 0.5, 1));
        Assert.Equal(254.0, PixelIndex.RangeGreyLevels(PixelChangeMode.Offset, 127));
        Assert.Equal(20.0, PixelIndex.RangeGreyLevels(PixelChangeMode.Offset, 10));
        Assert.Equal(255.0, PixelIndex.RangeGreyLevels(PixelChangeMode.Replace, 255));
        Assert.Equal("areaPixels", Assert.Throws<ArgumentOutOfRangeException>(() => PixelIndex.Terms(1, 10, 4, 255, 300, 200)).ParamName);
    }

    /// <summary>A two-class linear model over 1 × 12 × 12 images that weights only the pixels outside the centred 6 × 6
    /// square; returns the weight difference (class 1 − class 0) and bias difference too.</summary>
    private static (nn.Module<Tensor, Tensor> Model, double[] Difference, double Bias) BorderModel(int seed)
    {
        var rng = new Random(seed);
        var w = new float[2, Side * Side];
        var top = (Side - Centre) / 2;
        for (var i = 0; i < Side * Side; i++)
        {
            var (y, x) = (i / Side, i % Side);
            var centre = y >= top && y < top + Centre && x >= top && x < top + Centre;
            w[1, i] = centre ? 0 : (float)((rng.NextDouble() + 0.5) * (rng.Next(2) == 0 ? -1 : 1));
        }
        var bias = new[] { 0f, 0f };
        var difference = Enumerable.Range(0, Side * Side).Select(i => (double)w[1, i] - w[0, i]).ToArray();
        return (Linear(w, bias), difference, 0);
    }

    private static float[] Flat(Tensor t)
    {
        using var f = t.contiguous().flatten();
        return f.data<float>().ToArray();
    }

    [Fact]
    public void BorderOnlyModel_IsNeverFooledInTheCentre_AndTheCountsMatchAnIndependentRecount()
    {
        const int n = 40;
        var (model, difference, bias) = BorderModel(seed: 21);
        using var _ = model;
        var target = new LogitsAttackTarget(model, 2);
        using var x = Images(n, 1, Side, Side, seed: 22);
        var pixels = Flat(x);
        double Margin(ReadOnlySpan<float> image)
        {
            var m = bias;
            for (var j = 0; j < image.Length; j++) m += difference[j] * image[j];
            return m;
        }
        // Labels: the clean prediction, but rows 0, 10, 20, 30 wrong (so they are left out of w).
        var labels = Enumerable.Range(0, n).Select(i => Margin(pixels.AsSpan(i * Side * Side, Side * Side)) > 0 ? 1L : 0L).Select((c, i) => i % 10 == 0 ? 1 - c : c).ToArray();
        using var y = tensor(labels);
        var options = new PixelSensitivityOptions
        {
            Counts = new[] { 1, 4, 16, 30 },
            Ranges = new[] { 40, PixelSensitivityOptions.FullRange },
            AreaSides = new[] { PixelSensitivityOptions.WholeImage, Centre, 4 },
            Repeats = 3,
            Seed = 9,
            BatchSize = 7,
        };

        var result = PixelSensitivity.Measure(target, x, y, options);
        Assert.Equal(Side, result.ImageHeight);
        Assert.Equal(n, result.Count);
        Assert.Equal(n - 4, result.CleanCorrect);
        // 30 pixels do not fit the 4 × 4 centre (they fit 6 × 6): left out and listed.
        Assert.Equal(2, result.Skipped.Count);
        Assert.All(result.Skipped, s => Assert.Equal((30, 4), (s.Count, s.AreaSide)));
        Assert.Equal(4 * 2 * 3 - 2, result.Points.Count);

        foreach (var point in result.Points.Where(p => p.Setting.AreaSide != PixelSensitivityOptions.WholeImage))
        {
            Assert.Equal(0, point.Misclassified);
            Assert.Equal(0.0, point.PixelIndex);
        }
        var strongest = result.Points.Single(p => p.Setting is { Count: 30, Range: 255, AreaSide: 0 });
        Assert.True(strongest.MisclassificationRate > 0.05, $"w = {strongest.MisclassificationRate}");

        // Independent recount: redraw each change through the augmentation's public per-row API (stream = row, repeat)
        // and classify with managed double arithmetic.
        var shape = new[] { 1, Side, Side };
        foreach (var point in result.Points)
        {
            var s = point.Setting;
            var augmentation = s.Augmentation(InputRange.Unit);
            long wrong = 0, nearTies = 0;
            var byRepeat = new long[options.Repeats];
            for (var k = 0; k < options.Repeats; k++)
            for (var i = 0; i < n; i++)
            {
                if (i % 10 == 0) continue;
                var changed = augmentation.Apply(pixels.AsSpan(i * Side * Side, Side * Side), shape, options.Seed, PixelSensitivity.StreamId(i, k));
                var margin = Margin(changed);
                if (Math.Abs(margin) < 1e-4) nearTies++;
                if ((margin > 0 ? 1 : 0) != labels[i]) { wrong++; byRepeat[k]++; }
            }
            Assert.True(Math.Abs(wrong - point.Misclassified) <= nearTies, $"{s}: {point.Misclassified} misclassified, recount {wrong}");
            if (nearTies == 0) Assert.Equal(byRepeat, point.MisclassifiedByRepeat);

            // The index of this setting, from its definition.
            var w = point.Misclassified / (double)(options.Repeats * (n - 4));
            var p = s.Count / 144.0;
            var r = (s.Range == 255 ? 255.0 : 2.0 * s.Range) / 255;
            var a = (s.AreaSide == 0 ? 144.0 : s.AreaSide * s.AreaSide) / 144.0;
            Assert.Equal(w, point.MisclassificationRate, 12);
            Assert.Equal(w / (p * r * a), point.PixelIndex, 9);
        }

        foreach (var point in result.Points.Where(p => p.Setting.AreaSide == 0))
            output.WriteLine($"{point.Setting.Count} px, range {point.Setting.Range}: w = {point.MisclassificationRate:0.####}, Pi = {point.PixelIndex:0.##}");

        // The batch size changes nothing; another seed draws other changes.
        options.BatchSize = 256;
        var whole = PixelSensitivity.Measure(target, x, y, options);
        Assert.Equal(result.Points.Select(p => p.MisclassifiedByRepeat.ToArray()), whole.Points.Select(p => p.MisclassifiedByRepeat.ToArray()));
        options.Seed = 10;
        var reseeded = PixelSensitivity.Measure(target, x, y, options);
        Assert.NotEqual(result.Points.Select(p => p.Misclassified), reseeded.Points.Select(p => p.Misclassified));
    }

    [Fact]
    public void Restore_CountsTheAdversarialImagesTheChangesTurnBack()
    {
        // On [0, 255] 4 × 4 images, class 1 wins when the pixel sum exceeds 0.5. An all-black image labelled 1 is
        // misclassified and any change (upwards: nothing is below 0) restores it; an all-white image labelled 0 is
        // misclassified and at most 4 changed pixels leave its sum far above 0.5. Black images labelled 0 are right
        // and left out.
        var w = new float[2, 16];
        for (var i = 0; i < 16; i++) w[1, i] = 1;
        using var model = Linear(w, new[] { 0f, -0.5f });
        var target = new LogitsAttackTarget(model, new[] { "dark", "bright" }, InputRange.Grey);
        var images = new List<float>();
        var labels = new List<long>();
        void Add(float value, long label, int copies)
        {
            for (var c = 0; c < copies; c++)
            {
                images.AddRange(Enumerable.Repeat(value, 16));
                labels.Add(label);
            }
        }
        Add(0, 1, 5);
        Add(255, 0, 5);
        Add(0, 0, 3);
        using var x = tensor(images.ToArray(), new long[] { labels.Count, 1, 4, 4 });
        using var y = tensor(labels.ToArray());
        var options = new PixelSensitivityOptions { Counts = new[] { 1, 4 }, Ranges = new[] { 10, 255 }, AreaSides = new[] { 0, 2 }, Repeats = 2, Seed = 3 };

        var result = PixelSensitivity.Restore(target, x, y, options);
        Assert.Equal(13, result.Count);
        Assert.Equal(10, result.Misclassified);
        Assert.Equal(8, result.Points.Count);
        Assert.Empty(result.Skipped);
        foreach (var point in result.Points)
        {
            Assert.Equal(10, point.Evaluated);
            Assert.Equal(10, point.Restored);
            Assert.Equal(new long[] { 5, 5 }, point.RestoredByRepeat);
            Assert.Equal(0.5, point.RestoreRate);
        }
    }

    [Fact]
    public void Restore_OnAnFgsmResult_TriesTheMisclassifiedAdversarialImages()
    {
        const int n = 30;
        var (model, _, _) = BorderModel(seed: 31);
        using var _m = model;
        var target = new LogitsAttackTarget(model, 2);
        using var x = Images(n, 1, Side, Side, seed: 32);
        long[] labels;
        using (no_grad())
        using (var logits = model.call(x))
            labels = logits.argmax(1).data<long>().ToArray();
        using var y = tensor(labels);
        using var attack = Attack.Create(target, new FgsmOptions { Epsilon = 0.02 }).Run(x, y);
        var options = new PixelSensitivityOptions { Counts = new[] { 8, 32 }, Ranges = new[] { 255 }, AreaSides = new[] { 0 }, Repeats = 4, Seed = 1 };

        var result = PixelSensitivity.Restore(target, attack, options);
        var fooled = attack.Predictions.Where((p, i) => p != labels[i]).Count();
        Assert.Equal(n, result.Count);
        Assert.Equal(fooled, result.Misclassified);
        Assert.True(fooled > 0, "FGSM at ε = 0.02 fooled nothing");
        Assert.All(result.Points, p => Assert.InRange(p.RestoreRate, 0, 1));
        var again = PixelSensitivity.Restore(target, attack.Adversarial, y, options);
        Assert.Equal(result.Points.Select(p => p.Restored), again.Points.Select(p => p.Restored));
        Assert.True(result.Points.Sum(p => p.Restored) > 0, "no random change restored any adversarial image");
        output.WriteLine($"FGSM ε = 0.02 fooled {fooled} of {n}; restore rates: " + string.Join(", ", result.Points.Select(p => $"{p.Setting.Count} px {p.RestoreRate:0.###}")));
    }

    [Fact]
    public void BadOptions_AreRefusedNamingTheOption()
    {
        var (model, _, _) = BorderModel(seed: 1);
        using var _m = model;
        var target = new LogitsAttackTarget(model, 2);
        using var x = Images(4, 1, Side, Side, seed: 2);
        using var y = tensor(new long[] { 0, 1, 0, 1 });
        PixelSensitivityResult Measure(PixelSensitivityOptions o) => PixelSensitivity.Measure(target, x, y, o);

        var area = Assert.Throws<ArgumentOutOfRangeException>(() => Measure(new PixelSensitivityOptions { AreaSides = new[] { 0, 20 } }));
        Assert.Equal("AreaSides", area.ParamName);
        Assert.Contains("12x12", area.Message);
        Assert.Equal("Counts", Assert.Throws<ArgumentException>(() => Measure(new PixelSensitivityOptions { Counts = Array.Empty<int>() })).ParamName);
        Assert.Equal("Counts", Assert.Throws<ArgumentOutOfRangeException>(() => Measure(new PixelSensitivityOptions { Counts = new[] { 0 } })).ParamName);
        Assert.Equal("Ranges", Assert.Throws<ArgumentOutOfRangeException>(() => Measure(new PixelSensitivityOptions { Ranges = new[] { 300 } })).ParamName);
        Assert.Equal("AreaSides", Assert.Throws<ArgumentOutOfRangeException>(() => Measure(new PixelSensitivityOptions { AreaSides = new[] { -1 } })).ParamName);
        Assert.Equal("Repeats", Assert.Throws<ArgumentOutOfRangeException>(() => Measure(new PixelSensitivityOptions { Repeats = 0 })).ParamName);
        using var outside = x * 2;
        Assert.Equal("images", Assert.Throws<ArgumentException>(() => PixelSensitivity.Measure(target, outside, y)).ParamName);
    }

    [Fact]
    public void DefaultGrid_CoversThePapersSettings_AndRepeatedSweepsLeaveNoTensorsBehind()
    {
        var (model, _, _) = BorderModel(seed: 41);
        using var _m = model;
        var target = new LogitsAttackTarget(model, 2);
        using var x = Images(6, 1, Side, Side, seed: 42);
        long[] labels;
        using (no_grad())
        using (var logits = model.call(x))
            labels = logits.argmax(1).data<long>().ToArray();
        using var y = tensor(labels);

        var defaults = PixelSensitivity.Measure(target, x, y);
        // 5 counts × 6 ranges × 4 areas (whole, 9, 6, 3), less the counts that do not fit 3 × 3 (16, 32, 64) or 6 × 6 (64).
        Assert.Equal(new[] { 4, 8, 16, 32, 64 }, defaults.Points.Select(p => p.Setting.Count).Distinct());
        Assert.Equal(new[] { 10, 40, 70, 100, 127, 255 }, defaults.Points.Select(p => p.Setting.Range).Distinct());
        Assert.Equal(new[] { 0, 9, 6, 3 }, defaults.Points.Select(p => p.Setting.AreaSide).Distinct());
        Assert.Equal(6 * (3 + 1), defaults.Skipped.Count);
        Assert.Equal(5 * 6 * 4 - 24, defaults.Points.Count);

        var options = new PixelSensitivityOptions { Counts = new[] { 4 }, Ranges = new[] { 255 }, AreaSides = new[] { 0 }, Repeats = 2, BatchSize = 4 };
        void RunOnce()
        {
            PixelSensitivity.Measure(target, x, y, options);
            PixelSensitivity.Restore(target, x, y, options);
        }
        RunOnce();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 10; i++) RunOnce();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
