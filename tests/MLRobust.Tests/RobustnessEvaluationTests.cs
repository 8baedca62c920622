using System.Text.Json;
using MLRobust.Attacks;
using MLRobust.Robustness;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Tests.Infrastructure;
using MLRobust.Trainers;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary><c>ml.MulticlassClassification.EvaluateRobustness</c> on a fitted ML.NET chain: its clean numbers agree with ML.NET's own
/// evaluator, every analysis is there with its expected shape, and the summary survives JSON.</summary>
[Collection(SeededTorchCollection.Name)]
public class RobustnessEvaluationTests
{
    private readonly ITestOutputHelper _output;

    public RobustnessEvaluationTests(ITestOutputHelper output) => _output = output;

    private sealed class SmallCnn : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv, fc;

        public SmallCnn(int size) : base(nameof(SmallCnn))
        {
            conv = nn.Conv2d(1, 8, 3, padding: 1);
            fc = nn.Linear(8 * (size / 4) * (size / 4), 4);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = nn.functional.max_pool2d(nn.functional.relu(conv.call(x)), 4);
            return fc.call(h.flatten(1)).MoveToOuterDisposeScope();
        }
    }

    private static IDataView Shapes(MLContext ml, int count, int size, int seed)
    {
        var rows = SyntheticShapes.Rows(count, size, seed);
        // The shapes' shading slightly overshoots 1; attacks insist on the declared [0, 1].
        foreach (var r in rows) for (var i = 0; i < r.Image.Length; i++) r.Image[i] = Math.Clamp(r.Image[i], 0f, 1f);
        return SyntheticShapes.DataView(ml, rows, size);
    }

    [Fact]
    public void EvaluateRobustnessOfAFittedChainAgreesWithMLNetAndHoldsEveryAnalysis()
    {
        const int size = 24, rows = 48;
        var ml = new MLContext(3);
        var train = Shapes(ml, 240, size, 11);
        var test = ml.Data.TakeRows(Shapes(ml, 80, size, 21), rows);
        manual_seed(3);
        var pipeline = ml.Transforms.CopyColumns("Features", "Image")
            .Append(ml.MulticlassClassification.Trainers.DirectClassifier(new DirectClassifierTrainer.Options
            {
                Network = new SmallCnn(size), NetworkName = "robustness-test-cnn", Classifier = { Iterations = 120, BatchSize = 32 },
            }));
        var model = pipeline.Fit(train);
        try
        {
            var options = new RobustnessEvaluationOptions
            {
                Index = new RobustnessIndexOptions { ImagesPerClass = 3, MaxSteps = 300, InterpolationSteps = 25 },
                Epsilon = new EpsilonSweepOptions { EpsilonGreyLevels = new[] { 0.0, 4, 16 } },
                PixelChanges = new PixelSensitivityOptions { Counts = new[] { 4, 16 }, Ranges = new[] { 40, PixelSensitivityOptions.FullRange }, AreaSides = new[] { PixelSensitivityOptions.WholeImage, 12 } },
                RestoreChanges = new PixelSensitivityOptions { Counts = new[] { 8 }, Ranges = new[] { PixelSensitivityOptions.FullRange }, AreaSides = new[] { PixelSensitivityOptions.WholeImage } },
                RestoreFgsmEpsilon = 16 / 255.0,
            };
            // The chain's CopyColumns runs before the classifier reads "Features".
            var metrics = ml.MulticlassClassification.EvaluateRobustness(model, test, options);

            // The caller's options stay as given (the evaluation fills the range in on copies).
            Assert.Null(options.Index!.Range);
            Assert.Null(options.Epsilon.Range);
            Assert.Null(options.PixelChanges!.Range);

            // Clean accuracy and per-class recall: ML.NET's own evaluator on the same rows.
            var reference = ml.MulticlassClassification.Evaluate(model.Transform(test));
            Assert.Equal(reference.MicroAccuracy, metrics.CleanAccuracy, 9);
            Assert.Equal(SyntheticShapes.ClassNames, metrics.ClassNames);
            var perClass = ml.Data.CreateEnumerable<RobustnessClassRow>(metrics.PerClass, reuseRowObject: false).ToList();
            Assert.Equal(rows, perClass.Sum(c => c.Rows));
            for (var c = 0; c < 4; c++)
                if (perClass[c].Rows > 0) Assert.Equal(reference.ConfusionMatrix.PerClassRecall[c], perClass[c].CleanRecall, 9);

            // Accuracy against ε: FGSM and PGD over three grey levels; ε = 0 is the clean accuracy.
            var summary = metrics.Summary;
            Assert.Equal(new[] { "fgsm", "pgd" }, summary.EpsilonCurves.Select(c => c.Attack));
            foreach (var curve in summary.EpsilonCurves)
            {
                Assert.Equal(new[] { 0.0, 4, 16 }, curve.EpsilonGreyLevels);
                Assert.Equal(new[] { 0.0, 4 / 255.0, 16 / 255.0 }, curve.Epsilon.Select(e => Math.Round(e, 12)), new ToleranceComparer(1e-9));
                Assert.Equal(metrics.CleanAccuracy, curve.Accuracy[0], 12);
                Assert.True(curve.Accuracy[2] <= curve.Accuracy[0], $"{curve.Attack}: accuracy at 16 grey levels {curve.Accuracy[2]} above the clean {curve.Accuracy[0]}");
            }
            Assert.Equal(rows * 3 * 2, metrics.PerSample.GetColumn<long>("Row").Count());

            // The robustness index: object classes only (None left out), FGSM cases = selected images × other classes.
            var index = Assert.IsType<RobustnessIndexSummary>(summary.Index);
            Assert.Equal(new[] { "disc", "square", "triangle" }, index.Classes);
            var selected = metrics.Index!.Selection.Count;
            Assert.Equal(selected * 2, index.FgsmCases);
            Assert.InRange(index.Index, 0, 1);
            Assert.Equal(3, index.FgsmMae.Length);

            // Pixel changes: 2 counts × 2 ranges × 2 areas, each a misclassification rate with its Pixel-index.
            var pixels = Assert.IsType<PixelSensitivitySummary>(summary.PixelChanges);
            Assert.Equal(8, pixels.Settings.Count);
            Assert.All(pixels.Settings, s => Assert.InRange(s.MisclassificationRate, 0, 1));
            Assert.Single(summary.Restore!.Settings);

            // The summary is plain data: JSON and back, numbers intact.
            var json = JsonSerializer.Serialize(summary, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
            var back = JsonSerializer.Deserialize<RobustnessSummary>(json, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals })!;
            Assert.Equal(summary.Index!.Index, back.Index!.Index);
            Assert.Equal(summary.EpsilonCurves[1].Accuracy, back.EpsilonCurves[1].Accuracy);
            _output.WriteLine($"clean {metrics.CleanAccuracy:F3}; index {index.Index:F4} (FGSM MAE {index.MeanFgsmMae:F2}, switch threshold {index.MeanSwitchThreshold:F3}, pop-up {index.PopUpRate:F3}); " +
                string.Join("; ", summary.EpsilonCurves.Select(c => $"{c.Attack} {string.Join("/", c.Accuracy.Select(a => a.ToString("F3")))}")));

            // The IAttackTarget overload on the classifier itself, fed the feature column directly, gives the same clean numbers.
            var direct = model.LastTransformer;
            var copied = ml.Transforms.CopyColumns("Features", "Image").Fit(test).Transform(test);
            var plain = ml.MulticlassClassification.EvaluateRobustness(AttackTarget.From(direct.Classifier), copied,
                new RobustnessEvaluationOptions { Index = null, EpsilonAttacks = new(), PixelChanges = null, RestoreFgsmEpsilon = null });
            Assert.Equal(metrics.CleanAccuracy, plain.CleanAccuracy, 12);
            Assert.Null(plain.Summary.Index);
        }
        finally
        {
            model.Dispose();
        }
    }

    [Fact]
    public void BadColumnsAndOptionsAreNamed()
    {
        var ml = new MLContext(1);
        var data = Shapes(ml, 8, 24, 1);
        using var net = new SmallCnn(24);
        var target = AttackTarget.FromModule(net, SyntheticShapes.ClassNames);
        var missing = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.EvaluateRobustness(target, data, new RobustnessEvaluationOptions { FeatureColumnName = "Pixels" }));
        Assert.Contains("Pixels", missing.Message);
        var rows = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.EvaluateRobustness(target, data, new RobustnessEvaluationOptions { FeatureColumnName = "Image", MaxRows = 0 }));
        Assert.Contains("MaxRows", rows.Message);
        var notAClassifier = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.EvaluateRobustness(ml.Transforms.CopyColumns("A", "Image").Fit(data), data));
        Assert.Contains("no MLRobust classifier", notAClassifier.Message);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
