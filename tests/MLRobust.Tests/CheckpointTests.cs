using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using MLRobust.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Checkpoints: written atomically, and a run stopped in the middle of any stage and resumed ends with exactly the
/// weights of an uninterrupted run.</summary>
[Collection(SeededTorchCollection.Name)]
public class CheckpointTests
{
    private const int Size = 24;

    private static TripleStagedNetwork NewNetwork()
    {
        manual_seed(42);
        return new TripleStagedNetwork(3, 2, Size, estimatorWidths: Tiny.Alex, projectorWidths: Tiny.Projector, comparatorWidths: Tiny.Comparator);
    }

    private static TripleStagedTrainingOptions Options(string? folder, CancellationToken cancel = default, Action<TrainingProgress>? progress = null)
    {
        var o = new TripleStagedTrainingOptions
        {
            Seed = 9, CheckpointDirectory = folder, CheckpointInterval = 2, CancellationToken = cancel, Progress = progress, ProgressInterval = 1,
            ComparatorImagesPerDraw = 6,
        };
        o.Estimator.Iterations = 4;
        o.Estimator.BatchSize = 8;
        o.Projector.Iterations = 4;
        o.Projector.BatchSize = 8;
        o.Comparator.Iterations = 4;
        o.Comparator.BatchSize = 32;
        // SGD with momentum: the resumed run must restore the optimizer state too.
        o.Comparator.Solver = new SolverOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 0.05, Momentum = 0.9 };
        return o;
    }

    private static TensorSampleSource Source()
    {
        var (images, classes, parameters, clean, alpha) = SyntheticShapes.Tensors(SyntheticShapes.Rows(24, Size, 3), Size);
        return new TensorSampleSource(images, classes, 4, 3, parameters, clean, alpha, seed: 7);
    }

    private static Dictionary<string, float[]> Weights(nn.Module m) =>
        m.state_dict().ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    [Theory]
    // Checkpoints every 2 iterations and at the end of each stage: stopping after iteration 3 resumes at iteration 2, so the
    // first report of the resumed run is iteration 3; stopping after the projector's first iteration resumes at its start.
    [InlineData("Estimator", 3, 3)]
    [InlineData("Projector", 1, 1)]
    [InlineData("Comparator", 3, 3)]
    public void StoppedAndResumed_EqualsUninterrupted(string stopStage, int stopAfter, int firstReportAfterResume)
    {
        using var scope = NewDisposeScope();
        Dictionary<string, float[]> expected;
        using (var source = Source())
        using (var network = NewNetwork())
        {
            TripleStagedTraining.Train(network, source, Options(null));
            expected = Weights(network);
        }

        using var folder = new TempFolder();
        using (var source = Source())
        using (var network = NewNetwork())
        using (var cancel = new CancellationTokenSource())
        {
            var options = Options(folder.Path, cancel.Token, p =>
            {
                if (p.Stage == stopStage && p.Iteration == stopAfter) cancel.Cancel();
            });
            Assert.Throws<OperationCanceledException>(() => TripleStagedTraining.Train(network, source, options));
        }
        Assert.True(File.Exists(folder.File(TrainingCheckpoint.StateFileName)));
        Assert.Single(Directory.GetFiles(folder.Path, "*.safetensors"));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));

        var reports = new List<(string stage, int iteration)>();
        using (var source = Source())
        using (var network = NewNetwork())
        {
            TripleStagedTraining.Train(network, source, Options(folder.Path, progress: p => reports.Add((p.Stage, p.Iteration))));
            var actual = Weights(network);
            Assert.Equal(expected.Keys.OrderBy(k => k), actual.Keys.OrderBy(k => k));
            foreach (var (key, values) in expected) Assert.True(values.SequenceEqual(actual[key]), $"weights '{key}' differ after resuming");
        }
        // The resumed run starts where the checkpoint left off; finished stages are not run again.
        Assert.Equal((stopStage, firstReportAfterResume), reports[0]);
    }

    [Fact]
    public void ACheckpointOfAnotherModel_IsRefusedWithAClearError()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempFolder();
        using (var source = Source())
        using (var network = NewNetwork())
            TripleStagedTraining.Train(network, source, Options(folder.Path));
        using var other = new TripleStagedNetwork(3, 2, Size, estimatorWidths: new AlexNetSmallWidths(4, 8, 8, 8, 8, 32), projectorWidths: Tiny.Projector, comparatorWidths: Tiny.Comparator);
        using var again = Source();
        var e = Assert.Throws<InvalidOperationException>(() => TripleStagedTraining.Train(other, again, Options(folder.Path)));
        Assert.Contains("belongs to another model", e.Message);
        // Resume = false starts over in the same folder.
        var fresh = Options(folder.Path);
        fresh.Resume = false;
        TripleStagedTraining.Train(other, again, fresh);
    }

    [Fact]
    public void ADamagedCheckpoint_IsReportedNotCrashed()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(TrainingCheckpoint.StateFileName), "{ not json");
        using var scope = NewDisposeScope();
        using var source = Source();
        using var network = NewNetwork();
        var e = Assert.Throws<InvalidDataException>(() => TripleStagedTraining.Train(network, source, Options(folder.Path)));
        Assert.Contains("checkpoint.json", e.Message);
    }
}
