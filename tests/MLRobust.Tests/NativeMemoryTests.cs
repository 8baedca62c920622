using MLRobust.Attacks;
using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using MLRobust.Training;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Nothing leaks native memory in a loop: after an attack or a training run (and disposing what it returns), the
/// number of live TorchSharp tensors created on this thread is what it was before, however many iterations ran.
/// (Resident memory over 10,000 training steps is measured by the Bench target.)</summary>
[Collection(SeededTorchCollection.Name)]
public class NativeMemoryTests
{
    private static long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void RepeatedAttacks_LeaveNoTensorsBehind()
    {
        using var model = SmallCnn(1, 4, 12, seed: 3);
        var target = new LogitsAttackTarget(model, 4);
        using var x = Images(8, 1, 12, 12, seed: 4);
        using var labels = tensor(new long[] { 0, 1, 2, 3, 0, 1, 2, 3 });
        void RunOnce()
        {
            using var pgd = new Pgd(target, new PgdOptions { Steps = 10, Seed = 1 }).Run(x, labels);
            using var flip = new IterativeFgsm(target, new IterativeFgsmOptions { MaxSteps = 20 }).Run(x, labels);
            using var deepFool = new DeepFool(target, new DeepFoolOptions { MaxIterations = 5 }).Run(x, labels);
        }
        RunOnce();
        var before = Live();
        for (var i = 0; i < 20; i++) RunOnce();
        Assert.Equal(before, Live());
    }

    [Fact]
    public void LongerTraining_LeavesNoMoreTensorsThanShortTraining()
    {
        var rows = SyntheticShapes.Rows(24, 24, 5);
        var (images, classes, parameters, clean, alpha) = SyntheticShapes.Tensors(rows, 24);
        long LiveAfterTraining(int iterations)
        {
            var start = Live();
            using (var source = new TensorSampleSource(images, classes, 4, 3, parameters, clean, alpha, seed: 1))
            using (var network = new DirectClassifier(4, 3, 24, Tiny.Alex, 0.5))
            {
                var options = new DirectTrainingOptions { Classifier = new StageOptions(iterations, 8, new SolverOptions { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3 }) };
                DirectTraining.Train(network, source, options);
            }
            return Live() - start;
        }
        LiveAfterTraining(2);
        var shortRun = LiveAfterTraining(3);
        var longRun = LiveAfterTraining(60);
        Assert.Equal(shortRun, longRun);
        foreach (var t in new[] { images, classes, parameters, clean, alpha }) t.Dispose();
    }
}
