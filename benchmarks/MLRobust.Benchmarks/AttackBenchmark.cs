using System.Diagnostics;
using MLRobust.Attacks;
using MLRobust.Models;
using MLRobust.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Benchmarks;

/// <summary>Attack throughput on the paper's direct classifier (AlexNet-small, 1x64x64, batch 64, eval mode):
/// PGD-10 (L∞, random start) and until-flip FGSM to the next class (at most N steps), on the same weights and images, in C# against the same loops in PyTorch on the same machine and thread
/// count (goal: ratio ≤ 1.0); and the process's resident memory over 10,000 until-flip steps (goal: flat).</summary>
internal static class AttackBenchmark
{
    internal sealed record Result(int Threads, int Batch, double CSharpPgdImagesPerSecond, double PyTorchPgdImagesPerSecond, double PgdRatio,
        int FlipSteps, double CSharpFlipImagesPerSecond, double PyTorchFlipImagesPerSecond, double FlipRatio,
        long[] ResidentBytes, double ResidentGrowthMiB, string TorchVersion);

    internal static Result Run(bool quick)
    {
        const int batch = 64;
        var threads = Environment.ProcessorCount;
        var warmup = 1;
        var repeats = quick ? 2 : 5;
        var flipSteps = quick ? 5 : 20;
        set_num_threads(threads);
        manual_seed(0);
        using var model = new AlexNetSmall();
        model.eval();
        var target = new LogitsAttackTarget(model, 4);
        using var x = rand(batch, 1, 64, 64);
        using var logits = model.call(x);
        using var y = logits.argmax(1);

        var pgd = new Pgd(target, new PgdOptions { Seed = 1 });
        // Targets the network cannot reach in a few grey levels: every image runs all steps.
        var flip = new IterativeFgsm(target, new IterativeFgsmOptions { MaxSteps = flipSteps, Target = TargetSelection.NextClass });
        var pgdSeconds = Median(() => pgd.Run(x, y).Dispose(), warmup, repeats);
        var flipSeconds = Median(() => flip.Run(x, y).Dispose(), warmup, repeats);
        // PyTorch attacks the same weights and images, so both stop at the same steps.
        var inputs = Path.Combine(Path.GetTempPath(), $"mlrobust-attack-bench-{Environment.ProcessId}.safetensors");
        var tensors = new Dictionary<string, Tensor>(model.state_dict()) { ["input.x"] = x };
        SafeTensors.Save(tensors, inputs);
        System.Text.Json.JsonElement py;
        try
        {
            py = PythonBaseline.Run("attack_loop.py", threads, batch, warmup, repeats, flipSteps, inputs);
        }
        finally
        {
            File.Delete(inputs);
        }
        var pyPgd = py.GetProperty("pgd10_s").GetDouble();
        var pyFlip = py.GetProperty("until_flip_s").GetDouble();

        // Resident memory every 1,000 steps of a 10,000-step until-flip run on a small batch (quick: 1,000 by 100).
        var chunk = quick ? 100 : 1000;
        var small = x.narrow(0, 0, 4);
        var smallLabels = y.narrow(0, 0, 4);
        // A step below float resolution leaves the images unchanged, so none flips and every step runs.
        var longRun = new IterativeFgsm(target, new IterativeFgsmOptions { MaxSteps = chunk, Target = TargetSelection.NextClass, StepSize = 1e-9 });
        var resident = new List<long>();
        for (var k = 0; k < 10; k++)
        {
            using var run = longRun.Run(small, smallLabels);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            resident.Add(Process.GetCurrentProcess().WorkingSet64);
        }
        var growth = (resident[^1] - resident[1]) / 1048576.0;

        var result = new Result(threads, batch, batch / pgdSeconds, batch / pyPgd, pgdSeconds / pyPgd, flipSteps, batch / flipSeconds, batch / pyFlip,
            flipSeconds / pyFlip, resident.ToArray(), growth, py.GetProperty("torch").GetString() ?? "?");
        Console.WriteLine($"  threads {threads}, batch {batch}, median of {repeats} after {warmup} warm-up");
        Console.WriteLine($"  {"",-30}{"MLRobust (C#)",16}{"PyTorch",16}{"ratio",8}");
        Console.WriteLine($"  {"PGD-10 (images/s)",-30}{batch / pgdSeconds,16:F1}{batch / pyPgd,16:F1}{result.PgdRatio,8:F3}");
        Console.WriteLine($"  {$"until-flip, {flipSteps} steps (img/s)",-30}{batch / flipSeconds,16:F1}{batch / pyFlip,16:F1}{result.FlipRatio,8:F3}");
        Console.WriteLine($"  resident memory over {10 * chunk} until-flip steps: {string.Join(" ", resident.Select(r => (r / 1048576.0).ToString("F0")))} MiB (growth after the first chunk {growth:F1} MiB)");
        return result;
    }

    private static double Median(Action action, int warmup, int repeats)
    {
        for (var i = 0; i < warmup; i++) action();
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
