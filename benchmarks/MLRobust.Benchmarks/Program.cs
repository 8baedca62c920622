using System.Text.Json;
using MLRobust.Benchmarks;

// The Bench target: each benchmark compares against a baseline measured on the same machine in the
// same run (PyTorch through /usr/bin/python3, or a plain loop), prints a table and writes
// artifacts/bench/<name>.json (+ pictures where a curve says more than numbers).
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var quick = args.Contains("--quick");
var outDir = Path.GetFullPath(Environment.GetEnvironmentVariable("MLROBUST_BENCH_OUT") ?? Path.Combine(RepoPaths.Root, "artifacts", "bench"));
Directory.CreateDirectory(outDir);

var benchmarks = new (string Name, Func<bool, object> Run)[]
{
    ("training-step", q => TrainingStepBenchmark.Run(q)),
    ("memory-loop", q => MemoryLoopDiagnostic.Run(q, outDir)),
    ("image-pipeline", q => ImagePipelineBenchmark.Run(q)),
    ("render", q => RenderBenchmark.Run(q)),
    ("attacks", q => AttackBenchmark.Run(q)),
    ("worker-thread-scoring", q => WorkerThreadScoringBenchmark.Run(q)),
};

var failed = false;
foreach (var (name, run) in benchmarks)
{
    if (only != null && only != name) continue;
    Console.WriteLine($"== {name}");
    try
    {
        var result = run(quick);
        File.WriteAllText(Path.Combine(outDir, name + ".json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
    }
    catch (Exception e)
    {
        failed = true;
        Console.Error.WriteLine($"{name} failed: {e.Message}");
    }
}
Console.WriteLine($"Results in {outDir}");
return failed ? 1 : 0;
