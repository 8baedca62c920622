using MLRobust.Experiments;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Tests;

/// <summary>The demo's experiment end to end at smoke scale: every phase runs, the tables have the paper's
/// rows and reference values, the numbers are in range, and the pictures are readable PNGs.</summary>
[Collection(Infrastructure.SeededTorchCollection.Name)]
public class PaperReproductionTests
{
    [Fact]
    public void SmokeRunProducesTheTablesAndPictures()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mlrobust-repro-" + Guid.NewGuid().ToString("N"));
        var phases = new List<string>();
        try
        {
            var result = PaperReproduction.Run(new MLContext(3), new ReproductionOptions
            {
                Scale = ReproductionScale.Smoke, Seed = 3, AttackSamples = 2, AttackMaxSteps = 5, OutputFolder = folder, ExtraAttackThresholds = [0.2, 0.45],
                Progress = p => { if (phases.Count == 0 || phases[^1] != p.Phase) phases.Add(p.Phase); },
            });

            Assert.Equal(new[] { "render train", "render test", "train direct", "train direct+params", "train triple-staged", "evaluate", "diagnose", "attack", "explain", "robustness", "done" }, phases);
            Assert.Equal(32, result.ImageSize);
            Assert.Equal(new[] { "direct", "direct+params", "triple-staged", "triple-staged", "triple-staged" }, result.CleanErrors.Select(r => r.Model));
            Assert.Equal(new double?[] { null, null, 0.2, 0.45, 0.7 }, result.CleanErrors.Select(r => r.Threshold));
            // Table 1 of the paper.
            Assert.Equal(new[] { 0.01, 0.01, 1.34, 0.57, 3.09 }, result.CleanErrors.Select(r => r.PaperErrorPercent));
            Assert.All(result.CleanErrors, r => Assert.InRange(r.ErrorPercent, 0, 100));

            // The attack Θ, then each further Θ once (0.45 repeated is left out), on the same network.
            Assert.Equal(6, result.Attacks.Count);
            Assert.Equal(new[] { "direct", "direct", "triple-staged Θ=0.45", "triple-staged Θ=0.45", "triple-staged Θ=0.2", "triple-staged Θ=0.2" }, result.Attacks.Select(a => a.Model));
            Assert.Equal(new[] { "object → other object", "object → None", "object → other object", "object → None", "object → other object", "object → None" }, result.Attacks.Select(a => a.Experiment));
            Assert.Contains(result.Pictures, p => Path.GetFileName(p) == "attack-triple-staged-theta-0.2-object---none.png");
            Assert.All(result.Attacks, a =>
            {
                Assert.Equal(2, a.Samples);
                Assert.InRange(a.SuccessRate, 0, 1);
                Assert.Equal(5, a.MaxSteps);
                if (a.SuccessRate > 0) Assert.InRange(a.MedianSteps, 0, 5);
            });

            // Stage diagnostics: every measure in its range, and every error attributed to exactly one stage.
            var d = result.Diagnostics;
            Assert.Equal(48, d.ObjectRows + d.NoneRows);
            Assert.Equal(3, d.PoseErrorMean.Length);
            Assert.All(d.PoseErrorMean.Concat(d.PoseErrorMedian), e => Assert.InRange(e, 0, 1.0));
            Assert.All(new[] { d.MaskIouEstimatedPose, d.MaskIouTruePose, d.ScoreAuc, d.ComparatorAucTruePose, d.ImageErrorTruePose }, v => Assert.InRange(v, 0, 1));
            Assert.Equal(d.Errors, d.ErrorsByStage.Values.Sum());
            var tripleAtAttackTheta = result.CleanErrors.Single(r => r.Threshold == 0.45);
            // Same rule, same rows; the scorer batches differently, so allow one row decided the other way at the margin.
            Assert.InRange(Math.Abs(tripleAtAttackTheta.ErrorPercent - 100.0 * d.Errors / 48), 0, 100.0 / 48 + 1e-9);

            // Learning curves: every stage of every model reported, each a chart.
            Assert.Equal(new[] { ("direct", "Classifier"), ("direct+params", "Classifier"), ("triple-staged", "Estimator"), ("triple-staged", "Projector"), ("triple-staged", "Comparator") },
                result.LearningCurves.Select(c => (c.Model, c.Stage)).Distinct());
            // Seconds per training stage, each within its model's training phase.
            Assert.Equal(new[] { "direct Classifier", "direct+params Classifier", "triple-staged Estimator", "triple-staged Projector", "triple-staged Comparator" }, result.StageSeconds.Keys);
            Assert.All(result.StageSeconds.Values, v => Assert.True(v >= 0));
            Assert.True(result.StageSeconds.Where(s => s.Key.StartsWith("triple-staged ", StringComparison.Ordinal)).Sum(s => s.Value) <= result.PhaseSeconds["train triple-staged"]);
            var charts = result.Pictures.Where(p => p.EndsWith(".svg", StringComparison.Ordinal)).ToList();
            Assert.Equal(5, charts.Count(p => Path.GetFileName(p).StartsWith("learning-curve-", StringComparison.Ordinal)));

            // The robustness suite on both models; the direct one monitored twice during training (smoke: 12 iterations, 2 points).
            Assert.Equal(new[] { "direct", "triple-staged Θ=0.45" }, result.Robustness.Select(r => r.Model));
            Assert.All(result.Robustness, r =>
            {
                Assert.Equal(24, r.Rows);
                Assert.Equal(new[] { "fgsm", "pgd" }, r.EpsilonCurves.Select(c => c.Attack));
                Assert.All(r.EpsilonCurves, c => Assert.Equal(r.CleanAccuracy, c.Accuracy[0], 12));
                Assert.NotNull(r.Index);
                Assert.NotNull(r.PixelChanges);
            });
            Assert.Equal(new[] { 6, 12 }, result.Robustness[0].Training.Select(t => t.Iteration));
            Assert.Contains(charts, p => Path.GetFileName(p) == "robustness-accuracy-vs-epsilon.svg");
            foreach (var chart in charts) Assert.Equal("svg", System.Xml.Linq.XDocument.Load(chart).Root!.Name.LocalName);

            // Explanations: the first attacked image, clean and adversarial, LIME and IG, for both models.
            var explanations = result.Pictures.Where(p => Path.GetFileName(p).StartsWith("explain-", StringComparison.Ordinal)).ToList();
            Assert.Equal(8, explanations.Count);
            Assert.All(explanations, p => Assert.Contains("-0-", Path.GetFileName(p)));
            // The test renders, one grid per attack row and the 8 explanations.
            Assert.Equal(1 + 6 + 8, result.Pictures.Count(p => p.EndsWith(".png", StringComparison.Ordinal)));
            foreach (var picture in result.Pictures.Where(p => p.EndsWith(".png", StringComparison.Ordinal)))
            {
                using var image = MLImage.CreateFromFile(picture);
                Assert.True(image.Width > 32 && image.Height > 32, picture);
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
