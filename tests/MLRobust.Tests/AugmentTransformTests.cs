using MLRobust.Attacks;
using MLRobust.Augmentation;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The augmentation transforms: pixel change (count, area, range), the classic random transforms,
/// adversarial augmentation, determinism and saving.</summary>
public class AugmentTransformTests
{
    private const int Side = 16;

    public sealed class Row
    {
        [VectorType(1, Side, Side)]
        public float[] Features { get; set; } = Array.Empty<float>();

        [KeyType(12)]
        public uint Label { get; set; }
    }

    public sealed class Out
    {
        public float[] Features { get; set; } = Array.Empty<float>();
        public float[] Augmented { get; set; } = Array.Empty<float>();
    }

    private static (MLContext Ml, IDataView Data, Row[] Rows) Grey(int rows = 12)
    {
        var ml = new MLContext(seed: 3);
        var rng = new Random(4);
        // Whole grey levels on [0, 255], including the extremes (where ±R clips).
        var data = Enumerable.Range(0, rows).Select(r => new Row
        {
            Features = Enumerable.Range(0, Side * Side).Select(i => (float)(i % 17 == 0 ? 255 : i % 13 == 0 ? 0 : rng.Next(0, 256))).ToArray(),
            Label = (uint)(r % 12),
        }).ToArray();
        return (ml, ml.Data.LoadFromEnumerable(data), data);
    }

    private static Out[] Run(MLContext ml, IDataView data, IEstimator<ITransformer> estimator) =>
        ml.Data.CreateEnumerable<Out>(estimator.Fit(data).Transform(data), false).ToArray();

    [Theory]
    [InlineData(64, 255, null)]
    [InlineData(8, 10, 6)]
    [InlineData(16, 127, 9)]
    [InlineData(36, 40, 6)]
    public void PixelChangeChangesExactlyCountPixelsInsideTheAreaAndRange(int count, int range, int? area)
    {
        var (ml, data, rows) = Grey();
        var outputs = Run(ml, data, ml.Transforms.Augmentation.PixelChange("Augmented", count, range, area, seed: 7, inputColumnName: "Features", valueRange: InputRange.Grey));
        var p = area ?? Side;
        var top = (Side - p) / 2;
        var seenPositions = new HashSet<int>();
        foreach (var o in outputs)
        {
            var changed = Enumerable.Range(0, Side * Side).Where(i => o.Augmented[i] != o.Features[i]).ToArray();
            Assert.Equal(count, changed.Length);
            foreach (var i in changed)
            {
                var (y, x) = (i / Side, i % Side);
                Assert.InRange(y, top, top + p - 1);
                Assert.InRange(x, top, top + p - 1);
                var v = o.Augmented[i];
                Assert.Equal(Math.Round(v), v);
                Assert.InRange(v, 0, 255);
                if (range < 255) Assert.InRange(Math.Abs(v - o.Features[i]), 1, range);
                seenPositions.Add(i);
            }
        }
        // Positions vary between rows (unless the area holds exactly count pixels).
        Assert.True(seenPositions.Count > count || count == p * p);
    }

    [Fact]
    public void PixelChangeIsSeededPerRowAndSavesAndLoads()
    {
        var (ml, data, _) = Grey();
        var estimator = ml.Transforms.Augmentation.PixelChange("Augmented", 10, 40, 8, seed: 11, inputColumnName: "Features", valueRange: InputRange.Grey);
        var first = Run(ml, data, estimator);
        var again = Run(ml, data, ml.Transforms.Augmentation.PixelChange("Augmented", 10, 40, 8, seed: 11, inputColumnName: "Features", valueRange: InputRange.Grey));
        var other = Run(ml, data, ml.Transforms.Augmentation.PixelChange("Augmented", 10, 40, 8, seed: 12, inputColumnName: "Features", valueRange: InputRange.Grey));
        Assert.Equal(first.Select(o => o.Augmented), again.Select(o => o.Augmented));
        Assert.NotEqual(first.Select(o => o.Augmented), other.Select(o => o.Augmented));
        Assert.NotEqual(first[0].Augmented, first[1].Augmented);

        using var dir = new TempDir();
        var path = dir.File("pixel-change.zip");
        ml.Model.Save(estimator.Fit(data), data.Schema, path);
        var loaded = ml.Model.Load(path, out _);
        var reloaded = ml.Data.CreateEnumerable<Out>(loaded.Transform(data), false).ToArray();
        Assert.Equal(first.Select(o => o.Augmented), reloaded.Select(o => o.Augmented));
    }

    [Fact]
    public void EachShuffledPassAugmentsAnew_PlainCursorsRepeat()
    {
        var (ml, data, _) = Grey();
        var augmented = ml.Transforms.Augmentation.PixelChange("Augmented", 16, seed: 7, inputColumnName: "Features", valueRange: InputRange.Grey).Fit(data).Transform(data);
        List<float[]> Pass(Random? rand)
        {
            var column = augmented.Schema["Augmented"];
            using var cursor = augmented.GetRowCursor(new[] { column }, rand);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            var values = new List<float[]>();
            VBuffer<float> v = default;
            while (cursor.MoveNext()) { getter(ref v); values.Add(v.DenseValues().ToArray()); }
            return values;
        }
        // Evaluation and prediction (no Random): the same augmentation every time. A trainer's passes (a Random each, as
        // ML.NET asks for shuffled cursors): a new draw per pass, repeatable from the pass's Random.
        Assert.Equal(Pass(null), Pass(null));
        Assert.Equal(Pass(new Random(1)), Pass(new Random(1)));
        Assert.NotEqual(Pass(new Random(1)), Pass(new Random(2)));
        Assert.NotEqual(Pass(null), Pass(new Random(1)));
    }

    [Fact]
    public void PixelChangeRejectsAnAreaOrCountThatDoesNotFit()
    {
        var (ml, data, _) = Grey();
        var area = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Augmentation.PixelChange("A", 4, area: 20, inputColumnName: "Features").Fit(data));
        Assert.Contains("'Features'", area.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Augmentation.PixelChange("A", 40, area: 6, inputColumnName: "Features").Fit(data));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Augmentation.PixelChange("A", 4, range: 0));
    }

    /// <summary>Rotation about the centre keeps the centre pixel and, for a radially symmetric image, the disc
    /// inside the image up to bilinear error; shift moves a known pattern by whole pixels.</summary>
    [Fact]
    public void RotationAndShiftMoveContentAsDefined()
    {
        var ml = new MLContext(seed: 1);
        const int n = 15;
        var c = (n - 1) / 2.0;
        var radial = Enumerable.Range(0, n * n).Select(i => (float)Math.Exp(-(Math.Pow(i / n - c, 2) + Math.Pow(i % n - c, 2)) / 20)).ToArray();
        var rows = Enumerable.Range(0, 6).Select(_ => new Row15 { Features = radial }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var rotated = Run15(ml, data, ml.Transforms.Augmentation.RandomRotation("Augmented", 45, seed: 2, inputColumnName: "Features"));
        foreach (var o in rotated)
        {
            Assert.Equal(radial[7 * n + 7], o.Augmented[7 * n + 7], 6);
            for (var i = 0; i < n * n; i++)
                if (Math.Pow(i / n - c, 2) + Math.Pow(i % n - c, 2) <= 36)
                    Assert.True(Math.Abs(radial[i] - o.Augmented[i]) < 0.03, $"pixel {i}: {radial[i]} vs {o.Augmented[i]}");
        }
        Assert.True(rotated.Select(o => o.Augmented.Sum()).Distinct().Count() > 1, "angles differ between rows");

        // A single bright pixel at the centre: after a shift it sits at (7 + dy, 7 + dx) with |d| ≤ 3.
        var dot = new float[n * n];
        dot[7 * n + 7] = 1;
        var dots = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(_ => new Row15 { Features = dot }).ToArray());
        var shifted = Run15(ml, dots, ml.Transforms.Augmentation.RandomShift("Augmented", 3, seed: 5, inputColumnName: "Features"));
        var offsets = new HashSet<(int, int)>();
        foreach (var o in shifted)
        {
            var at = Array.IndexOf(o.Augmented, 1f);
            Assert.Equal(1f, o.Augmented.Sum());
            var (dy, dx) = (at / n - 7, at % n - 7);
            Assert.InRange(dy, -3, 3);
            Assert.InRange(dx, -3, 3);
            offsets.Add((dy, dx));
        }
        Assert.True(offsets.Count > 1);
    }

    public sealed class Row15
    {
        [VectorType(1, 15, 15)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    private static Out[] Run15(MLContext ml, IDataView data, IEstimator<ITransformer> estimator) =>
        ml.Data.CreateEnumerable<Out>(estimator.Fit(data).Transform(data), false).ToArray();

    /// <summary>A padded crop is a window of the zero-padded image; Gaussian noise has the asked-for spread.</summary>
    [Fact]
    public void CropIsAWindowOfThePaddedImageAndNoiseHasItsSpread()
    {
        var (ml, data, rows) = Grey(4);
        var crop = ml.Transforms.Augmentation.RandomCrop("Augmented", 12, 10, padding: 2, seed: 3, inputColumnName: "Features", valueRange: InputRange.Grey);
        var transformed = crop.Fit(data).Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 12, 10), transformed.Schema["Augmented"].Type);
        foreach (var o in ml.Data.CreateEnumerable<Out>(transformed, false))
        {
            var found = false;
            for (var top = -2; top <= Side + 2 - 12 && !found; top++)
                for (var left = -2; left <= Side + 2 - 10 && !found; left++)
                {
                    var match = true;
                    for (var y = 0; y < 12 && match; y++)
                        for (var x = 0; x < 10 && match; x++)
                        {
                            var (sy, sx) = (top + y, left + x);
                            var expected = sy < 0 || sy >= Side || sx < 0 || sx >= Side ? 0 : o.Features[sy * Side + sx];
                            match = o.Augmented[y * 10 + x] == expected;
                        }
                    found = match;
                }
            Assert.True(found, "the crop is a window of the padded image");
        }

        var mid = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(_ => new Row { Features = Enumerable.Repeat(0.5f, Side * Side).ToArray() }).ToArray());
        var noisy = Run(ml, mid, ml.Transforms.Augmentation.GaussianNoise("Augmented", 0.05, seed: 9, inputColumnName: "Features"));
        var deltas = noisy.SelectMany(o => o.Augmented.Select(v => v - 0.5)).ToArray();
        Assert.InRange(deltas.Average(), -0.005, 0.005);
        Assert.InRange(Math.Sqrt(deltas.Average(d => d * d)), 0.047, 0.053);
    }

    /// <summary>Adversarial augmentation replaces the images of a seeded fraction of rows by PGD images and leaves
    /// the others alone, in place (same column).</summary>
    [Fact]
    public void AdversarialAugmentationAttacksAFractionOfRows()
    {
        using var scope = NewDisposeScope();
        var ml = new MLContext(seed: 2);
        var model = Mlp(Side * Side, 16, 12, seed: 3);
        var pixels = Uniform(40 * Side * Side, seed: 5);
        var rows = Enumerable.Range(0, 40).Select(i => new Row { Features = pixels.AsSpan(i * Side * Side, Side * Side).ToArray(), Label = (uint)(i % 12) }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var target = new LogitsAttackTarget(model, 12);
        var estimator = ml.Transforms.Augmentation.Adversarial(target, new PgdOptions { Seed = 1, Epsilon = 0.05 }, fraction: 0.5, columns: new AdversarialTransformOptions { BatchSize = 16 });
        var output = estimator.Fit(data).Transform(data);
        Assert.Equal(data.Schema.Count + 1, output.Schema.Count);
        var augmented = ml.Data.CreateEnumerable<Row>(output, false).ToArray();
        var attacked = augmented.Select((r, i) => !r.Features.SequenceEqual(rows[i].Features)).ToArray();
        Assert.InRange(attacked.Count(a => a), 12, 28);
        for (var i = 0; i < 40; i++)
            if (attacked[i]) Assert.InRange(augmented[i].Features.Zip(rows[i].Features, (a, b) => Math.Abs(a - b)).Max(), 1e-4, 0.05 + 1e-6);
        var all = ml.Data.CreateEnumerable<Row>(ml.Transforms.Augmentation.Adversarial(target, new FgsmOptions { Epsilon = 0.05 }, fraction: 1).Fit(data).Transform(data), false).ToArray();
        Assert.All(all.Zip(rows), p => Assert.False(p.First.Features.SequenceEqual(p.Second.Features)));
        var none = ml.Data.CreateEnumerable<Row>(ml.Transforms.Augmentation.Adversarial(target, new FgsmOptions(), fraction: 0).Fit(data).Transform(data), false).ToArray();
        Assert.All(none.Zip(rows), p => Assert.Equal(p.Second.Features, p.First.Features));
    }
}
