using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using MLRobust.Attacks;
using MLRobust.Robustness;
using Xunit.Abstractions;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Accuracy against ε (<see cref="EpsilonSweep"/>): FGSM's curve against an independent PyTorch computation on the
/// same linear model, PGD against the exact worst case of a two-class linear model, ε = 0 against the clean accuracy,
/// units, templates, the data view, validation and native memory.</summary>
public class EpsilonCurveTests(ITestOutputHelper output)
{
    private const int N = 60, S = 4, D = S * S, K = 3;

    /// <summary>Weights [K, D] and biases of a linear model with logits of a few units over [0, 1] images.</summary>
    private static (float[,] W, float[] B) LinearWeights(int classes, int seed, double scale)
    {
        var rng = new Random(seed);
        var w = new float[classes, D];
        for (var k = 0; k < classes; k++)
        for (var i = 0; i < D; i++)
            w[k, i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        var b = Enumerable.Range(0, classes).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        return (w, b);
    }

    /// <summary>Labels: the clean prediction, except every fifth row, shifted to the next class (so clean accuracy is not 1).</summary>
    private static long[] Labels(nn.Module<Tensor, Tensor> model, Tensor x, int classes)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clean = model.call(x).argmax(1).data<long>().ToArray();
        return clean.Select((c, i) => i % 5 == 0 ? (c + 1) % classes : c).ToArray();
    }

    [Fact]
    public void FgsmCurve_MatchesPyTorchOnTheSameLinearModel_AndStartsAtTheCleanAccuracy()
    {
        var (w, b) = LinearWeights(K, seed: 1, scale: 1.5);
        using var model = Linear(w, b);
        var target = new LogitsAttackTarget(model, K);
        using var x = Images(N, 1, S, S, seed: 2);
        var labels = Labels(model, x, K);
        using var y = tensor(labels);

        var curve = EpsilonSweep.Run(target, x, y, new FgsmOptions(), new EpsilonSweepOptions { BatchSize = 7 });
        var grid = EpsilonSweepOptions.DefaultEpsilons.ToArray();

        var script = $$"""
W = torch.tensor({{Json(w)}}, dtype=torch.float32)
B = torch.tensor({{JsonSerializer.Serialize(b.Select(v => (double)v))}}, dtype=torch.float32)
X = torch.tensor({{JsonSerializer.Serialize(ToArray(x).Select(v => (double)v))}}, dtype=torch.float32).view({{N}}, {{D}})
Y = torch.tensor({{JsonSerializer.Serialize(labels)}}, dtype=torch.int64)
out = []
for eps in {{JsonSerializer.Serialize(grid)}}:
    xa = X.clone().requires_grad_(True)
    loss = F.cross_entropy(xa @ W.T + B, Y, reduction='sum')
    g, = torch.autograd.grad(loss, xa)
    adv = torch.clamp(X + eps * g.sign(), 0.0, 1.0)
    z = adv @ W.T + B
    top = z.topk(2, dim=1).values
    out.append({'pred': z.argmax(1).tolist(), 'margin': (top[:, 0] - top[:, 1]).tolist()})
clean = (X @ W.T + B).argmax(1)
print(json.dumps({'curve': out, 'clean_accuracy': (clean == Y).double().mean().item()}))
""";
        using var reference = JsonDocument.Parse(Run(script));
        var expectedClean = reference.RootElement.GetProperty("clean_accuracy").GetDouble();
        Assert.Equal("fgsm", curve.AttackName);
        Assert.Equal(expectedClean, curve.CleanAccuracy, 12);
        Assert.Equal(0.0, curve.Points[0].EpsilonUnit);
        Assert.Equal(curve.CleanAccuracy, curve.Points[0].Accuracy);
        Assert.Equal(1 - curve.CleanAccuracy, curve.Points[0].SuccessRate, 12);

        var compared = 0;
        for (var g = 0; g < grid.Length; g++)
        {
            var point = curve.Points[g];
            Assert.Equal(grid[g], point.EpsilonUnit);
            Assert.Equal(grid[g] * 255, point.EpsilonGreyLevels, 9);
            Assert.Equal(N, point.Count);
            var py = reference.RootElement.GetProperty("curve")[g];
            var predictions = py.GetProperty("pred").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var margins = py.GetProperty("margin").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var mine = curve.Samples.Where(s => s.EpsilonUnit == grid[g]).OrderBy(s => s.Row).ToArray();
            Assert.Equal(N, mine.Length);
            var expectedCorrect = 0;
            for (var i = 0; i < N; i++)
            {
                if (predictions[i] == labels[i]) expectedCorrect++;
                if (margins[i] < 1e-4) continue; // a near tie may round either way in float32
                Assert.Equal(predictions[i], mine[i].Prediction);
                Assert.Equal(predictions[i] == labels[i], mine[i].Correct);
                compared++;
            }
            if (margins.All(m => m >= 1e-4)) Assert.Equal(expectedCorrect, point.Correct);
        }
        Assert.True(compared > grid.Length * N * 9 / 10, $"only {compared} predictions compared");
        output.WriteLine($"FGSM, {compared} of {grid.Length * N} predictions compared: " + string.Join("; ", curve.Points.Select(p => $"ε {p.EpsilonGreyLevels:0.#} levels: accuracy {p.Accuracy:0.###}, success {p.SuccessRate:0.###}")));
        // The attack does bite: accuracy falls well below the clean accuracy by ε = 0.3.
        Assert.True(curve.Points[^1].Accuracy < curve.CleanAccuracy - 0.3, $"accuracy at 0.3: {curve.Points[^1].Accuracy}");
    }

    [Fact]
    public void PgdCurve_OnATwoClassLinearModel_IsTheExactWorstCase_AndNeverRises()
    {
        // Two classes: every gradient sign points along −sign(w_y − w_other), so PGD with enough steps ends at
        // clip(x − ε·sign(w_y − w_other)), the worst case of the box and the ball; correctness is then known exactly.
        var (w, b) = LinearWeights(2, seed: 3, scale: 1.0);
        using var model = Linear(w, b);
        var target = new LogitsAttackTarget(model, 2);
        using var x = Images(N, 1, S, S, seed: 4);
        var labels = Labels(model, x, 2);
        using var y = tensor(labels);
        var pixels = ToArray(x);

        var curve = EpsilonSweep.Run(target, x, y,
            e => new PgdOptions { Epsilon = e, StepSize = Math.Max(e / 4, 1e-6), Steps = 10, RandomStart = true },
            new EpsilonSweepOptions { Seed = 5, BatchSize = 16 });

        Assert.Equal("pgd", curve.AttackName);
        for (var g = 1; g < curve.Points.Count; g++)
            Assert.True(curve.Points[g].Accuracy <= curve.Points[g - 1].Accuracy,
                $"accuracy rose from {curve.Points[g - 1].Accuracy} at ε = {curve.Points[g - 1].EpsilonUnit} to {curve.Points[g].Accuracy} at {curve.Points[g].EpsilonUnit}");
        Assert.True(curve.Points[^1].Accuracy < curve.Points[0].Accuracy);
        output.WriteLine("PGD: " + string.Join("; ", curve.Points.Select(p => $"ε {p.EpsilonUnit:0.####}: {p.Accuracy:0.###}")));

        foreach (var sample in curve.Samples)
        {
            var i = (int)sample.Row;
            var label = (int)sample.Label;
            var other = 1 - label;
            double margin = b[label] - b[other];
            for (var j = 0; j < D; j++)
            {
                var d = (double)w[label, j] - w[other, j];
                var worst = Math.Clamp(pixels[i * D + j] - sample.EpsilonUnit * Math.Sign(d), 0.0, 1.0);
                margin += d * worst;
            }
            if (Math.Abs(margin) < 1e-4) continue;
            Assert.Equal(margin > 0, sample.Correct);
        }
    }

    [Fact]
    public void GreyLevelGrid_GivesTheSameCurveAsItsUnitGrid_AndAGreyModelReportsBothUnits()
    {
        var (w, b) = LinearWeights(K, seed: 6, scale: 1.5);
        using var model = Linear(w, b);
        var target = new LogitsAttackTarget(model, K);
        using var x = Images(N, 1, S, S, seed: 7);
        using var y = tensor(Labels(model, x, K));
        var levels = new[] { 0.0, 2, 8, 16, 40 };

        var byLevels = EpsilonSweep.Run(target, x, y, new FgsmOptions(), new EpsilonSweepOptions { EpsilonGreyLevels = levels });
        var byUnits = EpsilonSweep.Run(target, x, y, new FgsmOptions(), new EpsilonSweepOptions { Epsilons = levels.Select(l => l / 255).ToArray() });
        Assert.Equal(byUnits.Samples.Select(s => s.Prediction), byLevels.Samples.Select(s => s.Prediction));
        Assert.Equal(levels, byLevels.Points.Select(p => p.EpsilonGreyLevels));
        Assert.Equal(levels.Select(l => l / 255), byLevels.Points.Select(p => p.EpsilonUnit));

        // The same model on [0, 255] images (weights / 255): ε is given to the attack in grey levels.
        var scaled = new float[K, D];
        for (var k = 0; k < K; k++)
        for (var i = 0; i < D; i++)
            scaled[k, i] = w[k, i] / 255f;
        using var greyModel = Linear(scaled, b);
        var greyTarget = new LogitsAttackTarget(greyModel, new[] { "a", "b", "c" }, InputRange.Grey);
        using var greyX = x * 255;
        var grey = EpsilonSweep.Run(greyTarget, greyX, y, new FgsmOptions(), new EpsilonSweepOptions { EpsilonGreyLevels = levels });
        Assert.Equal(InputRange.Grey, grey.Range);
        Assert.Equal(levels, grey.Points.Select(p => p.Epsilon));
        Assert.Equal(levels.Select(l => l / 255), grey.Points.Select(p => p.EpsilonUnit));
        var differing = grey.Samples.Zip(byLevels.Samples).Count(pair => pair.First.Prediction != pair.Second.Prediction);
        Assert.True(differing <= 2, $"{differing} predictions differ between the [0, 1] and [0, 255] versions of one model");
    }

    [Fact]
    public void Template_IsCopiedPerEpsilon_ResultsDoNotDependOnBatchSize_AndSamplesLoadAsADataView()
    {
        var (w, b) = LinearWeights(K, seed: 8, scale: 1.5);
        using var model = Linear(w, b);
        var target = new LogitsAttackTarget(model, K);
        using var x = Images(N, 1, S, S, seed: 9);
        using var y = tensor(Labels(model, x, K));
        var template = new MiFgsmOptions { Epsilon = 0.5, Steps = 5 };
        var grid = new EpsilonSweepOptions { Epsilons = new[] { 0.0, 0.02, 0.1 }, BatchSize = 8 };

        var small = EpsilonSweep.Run(target, x, y, template, grid);
        grid.BatchSize = 256;
        var whole = EpsilonSweep.Run(target, x, y, template, grid);
        Assert.Equal(0.5, template.Epsilon);
        Assert.Equal("mi-fgsm", small.AttackName);
        Assert.Equal(whole.Samples, small.Samples);

        // The template's copy at ε equals options written by hand.
        var byHand = EpsilonSweep.Run(target, x, y, e => new MiFgsmOptions { Epsilon = e, Steps = 5 }, grid);
        Assert.Equal(byHand.Samples, whole.Samples);

        var ml = new MLContext(seed: 1);
        var view = whole.ToDataView(ml);
        var rows = ml.Data.CreateEnumerable<EpsilonSample>(view, reuseRowObject: false).ToArray();
        Assert.Equal(3 * N, rows.Length);
        Assert.Equal(whole.Points[1].Correct, rows.Count(r => r.EpsilonUnit == 0.02 && r.Correct));
        Assert.Equal(whole.CleanCorrect, rows.Count(r => r.EpsilonUnit == 0 && r.Correct));
        Assert.Contains(view.Schema, c => c.Name == "EpsilonGreyLevels");
    }

    [Fact]
    public void BadOptions_AreRefusedNamingTheOption()
    {
        using var model = Linear(new float[2, D], new float[2]);
        var target = new LogitsAttackTarget(model, 2);
        using var x = Images(4, 1, S, S, seed: 1);
        using var y = tensor(new long[] { 0, 1, 0, 1 });
        EpsilonCurve Sweep(EpsilonSweepOptions o) => EpsilonSweep.Run(target, x, y, new FgsmOptions(), o);

        var empty = Assert.Throws<ArgumentException>(() => Sweep(new EpsilonSweepOptions { Epsilons = Array.Empty<double>() }));
        Assert.Equal("Epsilons", empty.ParamName);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => Sweep(new EpsilonSweepOptions { EpsilonGreyLevels = new[] { 0.0, -2 } }));
        Assert.Equal("EpsilonGreyLevels", negative.ParamName);
        Assert.Contains("-2", negative.Message);
        var both = Assert.Throws<ArgumentException>(() => Sweep(new EpsilonSweepOptions { Epsilons = new[] { 0.1 }, EpsilonGreyLevels = new[] { 1.0 } }));
        Assert.Contains("EpsilonGreyLevels", both.Message);
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => Sweep(new EpsilonSweepOptions { BatchSize = 0 })).ParamName);
        Assert.Equal("template", Assert.Throws<ArgumentException>(() => EpsilonSweep.WithEpsilon(new DeepFoolOptions())).ParamName);
        Assert.Throws<ArgumentException>(() => EpsilonSweep.WithEpsilon(new FgsmOptions { Minimal = true }));
        var range = Assert.Throws<ArgumentException>(() => EpsilonSweep.Run(target, x, y, e => new FgsmOptions { Epsilon = e, Range = InputRange.Grey }));
        Assert.Contains("Range", range.Message);
    }

    [Fact]
    public void RepeatedSweeps_LeaveNoTensorsBehind()
    {
        var (w, b) = LinearWeights(K, seed: 10, scale: 1.5);
        using var model = Linear(w, b);
        var target = new LogitsAttackTarget(model, K);
        using var x = Images(20, 1, S, S, seed: 11);
        using var y = tensor(Labels(model, x, K));
        var options = new EpsilonSweepOptions { Epsilons = new[] { 0.0, 0.05, 0.2 }, BatchSize = 6 };
        void RunOnce()
        {
            EpsilonSweep.Run(target, x, y, new FgsmOptions(), options);
            EpsilonSweep.Run(target, x, y, new PgdOptions { Steps = 3 }, options);
        }
        RunOnce();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 10; i++) RunOnce();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static float[] ToArray(Tensor t)
    {
        using var flat = t.contiguous().flatten();
        return flat.data<float>().ToArray();
    }

    private static string Json(float[,] w) =>
        "[" + string.Join(", ", Enumerable.Range(0, w.GetLength(0)).Select(k =>
            "[" + string.Join(", ", Enumerable.Range(0, w.GetLength(1)).Select(i => ((double)w[k, i]).ToString("R", CultureInfo.InvariantCulture))) + "]")) + "]";
}
