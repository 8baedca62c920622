using System.Diagnostics;
using MLRobust.Models;
using MLRobust.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Benchmarks;

/// <summary>One SGD training step of the paper's direct classifier (AlexNet-small, batch 128,
/// 1x64x64) in C# against the same network in PyTorch on the same libtorch, same thread count.
/// Goal: C#/PyTorch ≤ 1.0 (the binding adds nothing measurable).</summary>
internal static class TrainingStepBenchmark
{
    internal sealed record Result(int Threads, int Batch, double CSharpStepSeconds, double PyTorchStepSeconds, double Ratio,
        double CSharpForwardImagesPerSecond, double PyTorchForwardImagesPerSecond,
        double CSharpForwardBackwardImagesPerSecond, double PyTorchForwardBackwardImagesPerSecond, string TorchVersion,
        double MLRobustUpdateSeconds, double TorchSharpUpdateSeconds);

    internal static Result Run(bool quick)
    {
        const int batch = 128;
        var threads = Environment.ProcessorCount;
        var warmup = quick ? 1 : 3;
        var steps = quick ? 3 : 15;
        set_num_threads(threads);
        manual_seed(0);

        using var model = new AlexNetSmall();
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9, weight_decay: 5e-4);
        using var x = rand(batch, 1, 64, 64);
        using var y = randint(0, 4, new long[] { batch });

        void TrainStep()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            OptimizerSteps.Step(optimizer);
        }

        // The parameter update alone, on the gradients of one backward pass: MLRobust's step (scalars held through each native
        // call) against TorchSharp's own.
        void OurUpdate() => OptimizerSteps.Step(optimizer);
        void TheirUpdate() => optimizer.step();

        void ForwardBackward()
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            nn.functional.cross_entropy(model.call(x), y).backward();
        }

        void Forward()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.call(x);
        }

        model.train();
        var step = Median(TrainStep, warmup, steps);
        var fwdBwd = Median(ForwardBackward, warmup, steps);
        var ourUpdate = Median(OurUpdate, warmup, steps);
        var theirUpdate = Median(TheirUpdate, warmup, steps);
        model.eval();
        var fwd = Median(Forward, warmup, steps);

        var py = PythonBaseline.Run("alexnet_small_step.py", threads, batch, warmup, steps);
        var pyStep = py.GetProperty("train_step_s").GetDouble();
        var pyFwdBwd = py.GetProperty("forward_backward_s").GetDouble();
        var pyFwd = py.GetProperty("forward_s").GetDouble();

        var result = new Result(threads, batch, step, pyStep, step / pyStep, batch / fwd, batch / pyFwd, batch / fwdBwd, batch / pyFwdBwd,
            py.GetProperty("torch").GetString() ?? "?", ourUpdate, theirUpdate);
        Console.WriteLine($"  threads {threads}, batch {batch}, median of {steps} after {warmup} warm-up");
        Console.WriteLine($"  {"",-26}{"MLRobust (C#)",16}{"PyTorch",16}");
        Console.WriteLine($"  {"train step (s)",-26}{step,16:F4}{pyStep,16:F4}");
        Console.WriteLine($"  {"forward (images/s)",-26}{batch / fwd,16:F1}{batch / pyFwd,16:F1}");
        Console.WriteLine($"  {"forward+backward (img/s)",-26}{batch / fwdBwd,16:F1}{batch / pyFwdBwd,16:F1}");
        Console.WriteLine($"  ratio C#/PyTorch (train step): {result.Ratio:F3}  (goal ≤ 1.0)");
        Console.WriteLine($"  SGD update alone (s): MLRobust {ourUpdate:F4}, TorchSharp's step() {theirUpdate:F4}");
        return result;
    }

    private static double Median(Action action, int warmup, int steps)
    {
        for (var i = 0; i < warmup; i++) action();
        var times = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[steps / 2];
    }
}
