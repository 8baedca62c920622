using System.Globalization;
using MLRobust.Models;
using MLRobust.Robustness;
using MLRobust.Tests.Infrastructure;
using MLRobust.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The robustness monitor in the trainers: records at the configured iterations, leaves the training exactly as it
/// is without it, and tells an early checkpoint from a later one (Ding and Moeller's use of the index).</summary>
[Collection(SeededTorchCollection.Name)]
public class RobustnessMonitorTests(ITestOutputHelper output)
{
    private const int Size = 16;

    /// <summary>A small MLP with dropout (so that training draws from libtorch's generator) as a direct classifier of
    /// disc, square, triangle and None.</summary>
    private static DirectClassifier NewNetwork()
    {
        manual_seed(7);
        var mlp = nn.Sequential(("flat", nn.Flatten()), ("fc1", nn.Linear(Size * Size, 32)), ("relu", nn.ReLU()), ("drop", nn.Dropout(0.3)),
            ("fc2", nn.Linear(32, 4)));
        return new DirectClassifier(mlp, 4, SyntheticShapes.NoneClass, Size, "test-mlp");
    }

    private static TensorSampleSource Source(int rows, int seed)
    {
        var (images, classes, _, _, _) = SyntheticShapes.Tensors(SyntheticShapes.Rows(rows, Size, seed), Size);
        // The shading overshoots 1 a little; the attacks work in [0, 1].
        return new TensorSampleSource(images.clamp(0, 1), classes, 4, SyntheticShapes.NoneClass, seed: 3);
    }

    private static DirectTrainingOptions Options(int iterations, RobustnessMonitor? monitor) => new()
    {
        Seed = 5,
        Monitor = monitor,
        ProgressInterval = 1000,
        Classifier = new StageOptions(iterations, 16, new SolverOptions { Optimizer = OptimizerKind.Adam, LearningRate = 3e-3, WeightDecay = 0 }),
    };

    private static RobustnessIndexOptions IndexOptions() => new()
    {
        ImagesPerClass = 4, InterpolationSteps = 50, MaxSteps = 400, BatchSize = 128, Seed = 2,
    };

    private static Dictionary<string, float[]> Weights(nn.Module m) =>
        m.state_dict().ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    [Fact]
    public void DirectTraining_RecordsEveryIntervalAndAtTheEnd()
    {
        using var scope = NewDisposeScope();
        using var train = Source(48, 1);
        using var heldOut = Source(24, 2);
        using var monitor = RobustnessMonitor.FromSource(heldOut, 24, 3, IndexOptions());
        monitor.KeepResults = true;
        using var network = NewNetwork();
        DirectTraining.Train(network, train, Options(10, monitor));
        Assert.Equal(24, monitor.HeldOutCount);
        Assert.Equal(new[] { 3, 6, 9, 10 }, monitor.History.Select(r => r.Iteration));
        Assert.All(monitor.History, r => Assert.Equal(DirectTraining.ClassifierStage, r.Stage));
        Assert.All(monitor.History, r => Assert.InRange(r.CleanAccuracy, 0, 1));
        Assert.All(monitor.History, r => Assert.InRange(r.SelectedImages, 0, 12));
        Assert.True(monitor.History.Zip(monitor.History.Skip(1)).All(p => p.Second.ElapsedSeconds >= p.First.ElapsedSeconds));
        Assert.Equal(4, monitor.Results.Count);
        Assert.False(network.training);
        // The last record is the trained network's index, measured again here on the same held-out set.
        var again = RobustnessIndex.Compute(new MLRobust.Attacks.ClassifierAttackTarget(network), heldOut.Pass(24, SampleFilter.All, 24).Single().Images,
            heldOut.Pass(24, SampleFilter.All, 24).Single().Classes, IndexOptions());
        var last = monitor.History[^1];
        Assert.Equal(again.CleanAccuracy, last.CleanAccuracy);
        Assert.Equal(again.Index, last.Index);
        Assert.Equal(again.MeanMae, last.MeanMae);
        foreach (var r in monitor.History) output.WriteLine(Format(r));
    }

    [Fact]
    public void Monitoring_LeavesTheTrainedWeightsExactlyAsWithout()
    {
        using var scope = NewDisposeScope();
        Dictionary<string, float[]> without, with;
        using (var train = Source(48, 1))
        using (var network = NewNetwork())
        {
            DirectTraining.Train(network, train, Options(12, null));
            without = Weights(network);
        }
        using (var train = Source(48, 1))
        using (var heldOut = Source(24, 2))
        using (var monitor = RobustnessMonitor.FromSource(heldOut, 24, 4, IndexOptions()))
        using (var network = NewNetwork())
        {
            DirectTraining.Train(network, train, Options(12, monitor));
            with = Weights(network);
            Assert.Equal(3, monitor.History.Count);
        }
        Assert.Equal(without.Keys, with.Keys);
        foreach (var (name, values) in without) Assert.Equal(values, with[name]);
    }

    /// <summary>Ding and Moeller compare checkpoints of one model at different training accuracies: the index of an early
    /// checkpoint differs from that of a later one.</summary>
    [Fact]
    public void Index_DiffersBetweenAnEarlyAndALaterCheckpoint()
    {
        using var scope = NewDisposeScope();
        using var train = Source(96, 1);
        using var heldOut = Source(32, 2);
        using var monitor = RobustnessMonitor.FromSource(heldOut, 32, 60, IndexOptions());
        using var network = NewNetwork();
        DirectTraining.Train(network, train, Options(600, monitor));
        foreach (var r in monitor.History) output.WriteLine(Format(r));
        var measured = monitor.History.Where(r => double.IsFinite(r.Index)).ToArray();
        Assert.True(measured.Length >= 2, "at least two checkpoints with an index");
        var (early, late) = (measured[0], measured[^1]);
        Assert.True(late.Iteration > early.Iteration);
        // Measured: 0.1181 at iteration 60 (accuracy 0.69) and 0.1059 at 600 (0.88); the targeted-FGSM MAE falls from 23.7 to 17.8 grey levels.
        Assert.True(Math.Abs(late.Index - early.Index) > 0.05 * Math.Max(late.Index, early.Index),
            $"index {early.Index:F5} at iteration {early.Iteration}, {late.Index:F5} at {late.Iteration}");
    }

    /// <summary>The triple-staged trainer is monitored in its comparator stage only (the merged network needs the trained
    /// estimator and projector), and monitoring leaves its weights as they are without it.</summary>
    [Fact]
    public void TripleStagedTraining_MonitorsTheComparatorStageOnly()
    {
        const int size = 24;
        using var scope = NewDisposeScope();
        Dictionary<string, float[]> Run(RobustnessMonitor? monitor)
        {
            var (images, classes, parameters, clean, alpha) = SyntheticShapes.Tensors(SyntheticShapes.Rows(24, size, 3), size);
            using var source = new TensorSampleSource(images.clamp(0, 1), classes, 4, 3, parameters, clean, alpha, seed: 7);
            manual_seed(42);
            using var network = new TripleStagedNetwork(3, 2, size, estimatorWidths: Tiny.Alex, projectorWidths: Tiny.Projector, comparatorWidths: Tiny.Comparator);
            var o = new TripleStagedTrainingOptions { Seed = 9, Monitor = monitor, ProgressInterval = 1000, ComparatorImagesPerDraw = 6 };
            o.Estimator.Iterations = 3;
            o.Estimator.BatchSize = 8;
            o.Projector.Iterations = 3;
            o.Projector.BatchSize = 8;
            o.Comparator.Iterations = 4;
            o.Comparator.BatchSize = 32;
            TripleStagedTraining.Train(network, source, o);
            return Weights(network);
        }
        var (heldImages, heldClasses, _, _, _) = SyntheticShapes.Tensors(SyntheticShapes.Rows(12, size, 4), size);
        using var monitor = new RobustnessMonitor(heldImages.clamp(0, 1), heldClasses, 2, new RobustnessIndexOptions { ImagesPerClass = 2, InterpolationSteps = 10, MaxSteps = 20 });
        var with = Run(monitor);
        var without = Run(null);
        Assert.Equal(new[] { (TripleStagedTraining.ComparatorStage, 2), (TripleStagedTraining.ComparatorStage, 4) },
            monitor.History.Select(r => (r.Stage, r.Iteration)));
        foreach (var r in monitor.History) output.WriteLine(Format(r));
        foreach (var (name, values) in without) Assert.Equal(values, with[name]);
    }

    private static string Format(RobustnessRecord r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Stage} {r.Iteration,4}: accuracy {r.CleanAccuracy:F3}, index {r.Index:F5}, FGSM MAE {r.MeanMae:F3} gl (success {r.FgsmSuccessRate:F2}), threshold {r.MeanSwitchThreshold:F3}, switch MAE {r.MeanSwitchMae:F2} gl, pop-ups {r.PopUpRate:F3}, {r.SelectedImages} images, at {r.ElapsedSeconds:F2} s, took {r.MeasureSeconds:F2} s");
}
