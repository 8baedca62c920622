using MLRobust.Models;
using Microsoft.ML;
using MLRobust.Tests.Infrastructure;
using MLRobust.Trainers;
using MLRobust.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace MLRobust.Tests;

/// <summary>A tiny end-to-end fit of each trainer on synthetic shapes (3 shapes + None, so chance is 25%), evaluated with
/// ML.NET's evaluator on held-out rows.</summary>
[Collection(SeededTorchCollection.Name)]
public class TrainerFitTests(ITestOutputHelper output)
{
    private const int Size = 32;
    private static readonly AlexNetSmallWidths Small = new(8, 16, 16, 16, 16, 64);

    private static (IDataView train, IDataView test) Data(MLContext ml)
    {
        var train = SyntheticShapes.DataView(ml, SyntheticShapes.Rows(320, Size, 100), Size);
        var test = SyntheticShapes.DataView(ml, SyntheticShapes.Rows(120, Size, 200), Size);
        // The scenes' image column is "Image"; the trainers read "Features" by default, as ML.NET's do.
        var copy = ml.Transforms.CopyColumns("Features", "Image").Fit(train);
        return (copy.Transform(train), copy.Transform(test));
    }

    [Fact]
    public void DirectClassifier_LearnsTheShapes()
    {
        var ml = new MLContext(1);
        var (train, test) = Data(ml);
        var options = new DirectClassifierTrainer.Options { Widths = Small, Dropout = 0.2, Classifier = { Iterations = 300, BatchSize = 32 } };
        using var model = ml.MulticlassClassification.Trainers.DirectClassifier(options).Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        output.WriteLine($"direct: accuracy {metrics.MicroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");
        Assert.True(metrics.MicroAccuracy > 0.6, $"accuracy {metrics.MicroAccuracy}");
    }

    [Fact]
    public void DirectWithParameters_LearnsTheShapes()
    {
        var ml = new MLContext(1);
        var (train, test) = Data(ml);
        var options = new DirectWithParametersTrainer.Options { Widths = Small, Dropout = 0.2, Classifier = { Iterations = 300, BatchSize = 32 } };
        using var model = ml.MulticlassClassification.Trainers.DirectWithParameters(options).Fit(train);
        Assert.Equal(3, model.Classifier.NoneClassIndex);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        output.WriteLine($"direct + parameters: accuracy {metrics.MicroAccuracy:P1}");
        Assert.True(metrics.MicroAccuracy > 0.6, $"accuracy {metrics.MicroAccuracy}");
    }

    [Fact]
    public void TripleStaged_LearnsTheShapes_AndReportsEveryStage()
    {
        var ml = new MLContext(1);
        var (train, test) = Data(ml);
        var reports = new List<TrainingProgress>();
        var options = new TripleStagedTrainer.Options
        {
            EstimatorWidths = Small,
            ProjectorWidths = new ProjectorWidths(64, 64, 64, 64, 32, 32, 16),
            ComparatorWidths = new ComparatorWidths(10, 32, 32, 32),
            Estimator = { Iterations = 200, BatchSize = 32 },
            Projector = { Iterations = 300, BatchSize = 32 },
            Comparator = { Iterations = 150, BatchSize = 128 },
            ComparatorImagesPerDraw = 8,
            ValidationSet = test,
            ValidationRows = 64,
            Progress = reports.Add,
        };
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using var model = ml.MulticlassClassification.Trainers.TripleStaged(options).Fit(train);
        output.WriteLine($"fit {sw.Elapsed}");
        foreach (var r in reports.Where(r => r.ValidationLoss is not null)) output.WriteLine(r.ToString());
        Assert.Equal(new[] { "Estimator", "Projector", "Comparator" }, reports.Select(r => r.Stage).Distinct());
        // Each stage's loss falls.
        foreach (var stage in new[] { "Estimator", "Projector", "Comparator" })
        {
            var losses = reports.Where(r => r.Stage == stage).Select(r => r.Loss).ToArray();
            Assert.True(losses[^1] < losses[0], $"{stage}: {string.Join(", ", losses)}");
        }
        // The demo's one-pass Θ sweep (scores once, decides per Θ, on the uncached scored view as the demo does) gives ML.NET's
        // evaluator's confusion matrix at every Θ.
        var thetas = new[] { 0.2, 0.45, 0.7 };
        var sweep = MLRobust.Experiments.ThresholdConfusion.Count(model.Transform(test), "Label", model.Columns.SimilarityScores,
            model.Classes.Count, model.Classes.NoneClassIndex, thetas);
        for (var t = 0; t < thetas.Length; t++)
        {
            model.Threshold = thetas[t];
            var m = ml.MulticlassClassification.Evaluate(model.Transform(test));
            output.WriteLine($"Θ = {thetas[t]}: accuracy {m.MicroAccuracy:P1}\n{m.ConfusionMatrix.GetFormattedConfusionTable()}");
            Assert.Equal(m.ConfusionMatrix.Counts.Select(r => r.ToArray()).ToArray(), sweep[t]);
            Assert.Equal((1 - m.MicroAccuracy) * 100, MLRobust.Experiments.ThresholdConfusion.ErrorPercent(sweep[t]), 9);
        }
        model.Threshold = 0.45;
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Assert.True(metrics.MicroAccuracy > 0.5, $"accuracy {metrics.MicroAccuracy}");
    }

    [Fact]
    public void TripleStaged_EstimatorWarmStart_StartsTheEstimatorFromEitherDirectModel()
    {
        var ml = new MLContext(1);
        var (train, _) = Data(ml);
        using var direct = ml.MulticlassClassification.Trainers.DirectClassifier(new DirectClassifierTrainer.Options
        {
            Widths = Small, Dropout = 0, Classifier = { Iterations = 5, BatchSize = 16 },
        }).Fit(train);
        var options = new TripleStagedTrainer.Options
        {
            EstimatorWidths = Small, Dropout = 0,
            ProjectorWidths = new ProjectorWidths(16, 16, 16, 16, 8, 8, 4),
            ComparatorWidths = new ComparatorWidths(10, 8, 8, 8),
            // No estimator iterations: the fitted estimator is the warm start itself.
            Estimator = { Iterations = 0, BatchSize = 8 },
            Projector = { Iterations = 1, BatchSize = 8 },
            Comparator = { Iterations = 1, BatchSize = 16 },
            ComparatorImagesPerDraw = 8,
            EstimatorWarmStart = direct,
        };
        using var triple = ml.MulticlassClassification.Trainers.TripleStaged(options).Fit(train);
        var source = ((DirectClassifier)direct.Classifier).named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var copied = triple.Network.Estimator.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(copied["network.features.conv1.weight"].narrow(1, 0, 1).allclose(source["network.features.conv1.weight"], 0, 0));
        Assert.Equal(0, copied["network.features.conv1.weight"].narrow(1, 1, 3).abs().sum().ToSingle());
        Assert.True(copied["network.classifier.fc7.weight"].allclose(source["network.classifier.fc7.weight"], 0, 0));

        // From the direct + parameters model the estimator also takes over the pose head as its output layer.
        using var withParameters = ml.MulticlassClassification.Trainers.DirectWithParameters(new DirectWithParametersTrainer.Options
        {
            Widths = Small, Dropout = 0, Classifier = { Iterations = 3, BatchSize = 8 },
        }).Fit(train);
        options.EstimatorWarmStart = withParameters;
        using var fromParameters = ml.MulticlassClassification.Trainers.TripleStaged(options).Fit(train);
        var model = (DirectWithParameters)withParameters.Classifier;
        var head = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var estimator = fromParameters.Network.Estimator.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(estimator["network.classifier.fc8.weight"].allclose(head["pose.weight"], 0, 0));
        Assert.True(estimator["network.classifier.fc8.bias"].allclose(head["pose.bias"], 0, 0));
        Assert.True(estimator["network.classifier.fc6.weight"].allclose(head["network.classifier.fc6.weight"], 0, 0));
    }
}
