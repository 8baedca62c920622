using System.Diagnostics;
using MLRobust.Models;
using static TorchSharp.torch;

namespace MLRobust.Benchmarks;

/// <summary>Scoring the triple-staged network (batch 32, 64x64, three object hypotheses) on a thread other than the main one,
/// as ML.NET's cache fillers and a server's request threads do, against the same work on the main thread. Without
/// <c>MALLOC_ARENA_MAX=1</c> glibc gives the other thread an arena of its own that maps the comparator's 74 MB activations afresh
/// on every call (measured 5× slower; see <see cref="NativeAllocatorTuning"/>). Goal: worker / main ≤ 1.2.</summary>
internal static class WorkerThreadScoringBenchmark
{
    internal sealed record Result(int Threads, int Batch, double MainThreadSeconds, double WorkerThreadSeconds, double Ratio,
        string AllocatorStatus, bool GoalMet);

    internal static Result Run(bool quick)
    {
        const int batch = 32;
        var rounds = quick ? 2 : 5;
        var threads = Environment.ProcessorCount;
        set_num_threads(threads);
        manual_seed(0);
        using var network = new TripleStagedNetwork(3, 3, 64, dropout: 0);
        network.eval();
        using var images = rand(batch, 1, 64, 64);

        // Best of several calls: the first of each thread pays for its heap's growth, and the machine may be busy.
        double Best()
        {
            var best = double.MaxValue;
            for (var r = 0; r <= rounds; r++)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                var sw = Stopwatch.StartNew();
                var scores = network.call(images);
                if (scores.shape[0] != batch) throw new InvalidOperationException($"scores for {scores.shape[0]} images, expected {batch}");
                if (r > 0) best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            return best;
        }

        var main = Best();
        var worker = 0.0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { worker = Best(); }
            catch (Exception e) { failure = e; }
        }, maxStackSize: 16 << 20);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("scoring on the worker thread failed", failure);

        var ratio = worker / main;
        var result = new Result(threads, batch, main, worker, ratio, NativeAllocatorTuning.Status, ratio <= 1.2);
        Console.WriteLine($"  triple-staged network, forward of {batch} images, {threads} intra-op threads, best of {rounds}");
        Console.WriteLine($"  main thread                {main,8:F3} s");
        Console.WriteLine($"  worker thread              {worker,8:F3} s  (worker / main {ratio:F2}, goal ≤ 1.2)");
        Console.WriteLine($"  allocator: {NativeAllocatorTuning.Status}");
        return result;
    }
}
