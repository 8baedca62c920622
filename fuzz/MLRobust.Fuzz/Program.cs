using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace MLRobust.Fuzz;

/// <summary>
/// <c>MLRobust.Fuzz [--inputs N] [--seed S] [--timeout-seconds T] [--budget-mib M] [--kinds gltf,image,model] [--json FILE]</c>:
/// seeded mutations of glTF files, images and model files, each loaded as MLRobust loads it, in worker processes (so a crash
/// is counted, not fatal) with a watchdog per input. Prints loaded, rejected by exception type, undocumented exceptions,
/// hangs, crashes, peak memory and loads over the memory budget; exits 1 when any crash, hang, undocumented exception or
/// over-budget load occurred.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "worker") return Worker.Run(args[1..]);
        var o = Options.Parse(args);
        var results = new List<KindResult>();
        var kinds = o.Kinds;
        for (var k = 0; k < kinds.Length; k++)
        {
            var count = o.Inputs / kinds.Length + (k < o.Inputs % kinds.Length ? 1 : 0);
            results.Add(Parent.Run(kinds[k], count, o));
        }
        var report = new Report(o.Inputs, o.Seed, o.TimeoutSeconds, o.BudgetMiB, results);
        Console.WriteLine(report.ToText());
        if (o.Json is { } json) File.WriteAllText(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        return report.Clean ? 0 : 1;
    }
}

internal sealed record Options(int Inputs, int Seed, int TimeoutSeconds, int BudgetMiB, string[] Kinds, string? Json, int Workers)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var i = Array.IndexOf(args, "--json");
        return new Options(int.Parse(Value("--inputs", "100000"), CultureInfo.InvariantCulture), int.Parse(Value("--seed", "20261130"), CultureInfo.InvariantCulture),
            int.Parse(Value("--timeout-seconds", "10"), CultureInfo.InvariantCulture), int.Parse(Value("--budget-mib", "1024"), CultureInfo.InvariantCulture),
            Value("--kinds", "gltf,image,model").Split(','), i >= 0 ? args[i + 1] : null,
            int.Parse(Value("--workers", Math.Max(1, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture));
    }
}

internal sealed record KindResult(string Kind, int Inputs, int Loaded, Dictionary<string, int> Rejected, Dictionary<string, int> Undocumented,
    List<string> Hangs, List<string> ForeignHangs, List<string> Crashes, List<string> OverBudget, List<string> UndocumentedExamples, long PeakWorkingSetMiB, long MaxAllocatedMiB, double Seconds);

internal sealed record Report(int Inputs, int Seed, int TimeoutSeconds, int BudgetMiB, List<KindResult> Kinds)
{
    public bool Clean => Kinds.All(k => k.Hangs.Count == 0 && k.Crashes.Count == 0 && k.Undocumented.Count == 0 && k.OverBudget.Count == 0);

    public string ToText()
    {
        var lines = new List<string> { $"MLRobust fuzzing: {Inputs:N0} inputs, seed {Seed}, watchdog {TimeoutSeconds} s per input, memory budget {BudgetMiB} MiB per load" };
        foreach (var k in Kinds)
        {
            lines.Add($"{k.Kind,-6} {k.Inputs,7:N0} inputs in {k.Seconds:F0} s: loaded {k.Loaded:N0}; rejected {k.Rejected.Values.Sum():N0} ({string.Join(", ", k.Rejected.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value:N0}"))})");
            lines.Add($"       undocumented exceptions {k.Undocumented.Values.Sum()} {(k.Undocumented.Count > 0 ? "(" + string.Join(", ", k.Undocumented.Select(p => $"{p.Key} {p.Value}")) + ")" : "")}; hangs {k.Hangs.Count}{(k.ForeignHangs.Count > 0 ? $" (and {k.ForeignHangs.Count} in ML.NET's own loaders)" : "")}; crashes {k.Crashes.Count}; over budget {k.OverBudget.Count}; peak working set {k.PeakWorkingSetMiB} MiB; most allocated by one load {k.MaxAllocatedMiB} MiB");
            foreach (var example in k.UndocumentedExamples.Take(5).Concat(k.Hangs.Take(3)).Concat(k.ForeignHangs.Take(3)).Concat(k.Crashes.Take(3)).Concat(k.OverBudget.Take(3))) lines.Add("         " + example);
        }
        lines.Add("(\"ML.NET:\" marks what ML.NET's own code threw for parts of a model file that it reads itself: its zip, headers, schema and transforms.)");
        lines.Add(Clean ? "RESULT: in MLRobust's code 0 crashes, 0 hangs, only documented exceptions; every load within the budget" : "RESULT: problems found (above)");
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Runs workers over the inputs of one kind, restarting after a crash or a hang (the worker names the input it was on).</summary>
internal static class Parent
{
    public static KindResult Run(string kind, int count, Options o)
    {
        var clock = Stopwatch.StartNew();
        var rejected = new Dictionary<string, int>();
        var undocumented = new Dictionary<string, int>();
        var undocumentedExamples = new List<string>();
        List<string> hangs = [], foreignHangs = [], crashes = [], overBudget = [];
        int loaded = 0;
        long peak = 0, maxAllocated = 0;
        var gate = new object();
        var chunks = Enumerable.Range(0, o.Workers).Select(w => (From: (int)((long)count * w / o.Workers), To: (int)((long)count * (w + 1) / o.Workers))).ToArray();
        Parallel.ForEach(chunks, new ParallelOptions { MaxDegreeOfParallelism = o.Workers }, chunk =>
        {
            var next = chunk.From;
            while (next < chunk.To)
            {
                var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                if (!Environment.ProcessPath!.EndsWith("MLRobust.Fuzz", StringComparison.Ordinal)) psi.ArgumentList.Add(typeof(Program).Assembly.Location);
                foreach (var a in new[] { "worker", kind, next.ToString(CultureInfo.InvariantCulture), chunk.To.ToString(CultureInfo.InvariantCulture), o.Seed.ToString(CultureInfo.InvariantCulture), o.TimeoutSeconds.ToString(CultureInfo.InvariantCulture) })
                    psi.ArgumentList.Add(a);
                using var process = Process.Start(psi)!;
                var errors = process.StandardError.ReadToEndAsync();
                int current = next;
                string? line;
                bool hung = false;
                while ((line = process.StandardOutput.ReadLine()) is not null)
                {
                    var f = line.Split('\t');
                    switch (f[0])
                    {
                        case "start": current = int.Parse(f[1], CultureInfo.InvariantCulture); break;
                        case "done":
                            var index = int.Parse(f[1], CultureInfo.InvariantCulture);
                            long allocated = long.Parse(f[4], CultureInfo.InvariantCulture), workingSet = long.Parse(f[5], CultureInfo.InvariantCulture);
                            lock (gate)
                            {
                                if (f[2] == "loaded") loaded++;
                                else if (f[2] == "rejected" || f[2] == "foreign") rejected[f[3]] = rejected.GetValueOrDefault(f[3]) + 1;
                                else
                                {
                                    undocumented[f[3]] = undocumented.GetValueOrDefault(f[3]) + 1;
                                    if (undocumentedExamples.Count < 20) undocumentedExamples.Add($"input {index}: {f[3]}: {f[6]}");
                                }
                                maxAllocated = Math.Max(maxAllocated, allocated >> 20);
                                peak = Math.Max(peak, workingSet >> 20);
                                if (allocated >> 20 > o.BudgetMiB) overBudget.Add($"input {index}: allocated {allocated >> 20} MiB ({f[6]})");
                            }
                            next = index + 1;
                            break;
                        case "hang":
                            lock (gate) (f[2].StartsWith("MLRobust", StringComparison.Ordinal) ? hangs : foreignHangs).Add($"input {f[1]}: {f[2]}");
                            next = int.Parse(f[1], CultureInfo.InvariantCulture) + 1;
                            hung = true;
                            break;
                    }
                }
                process.WaitForExit();
                if (!hung && process.ExitCode != 0)
                {
                    lock (gate) crashes.Add($"input {current}: worker exit {process.ExitCode}: {errors.Result.Split('\n').FirstOrDefault(l => l.Length > 0)}");
                    next = current + 1;
                }
            }
        });
        return new KindResult(kind, count, loaded, rejected, undocumented, hangs, foreignHangs, crashes, overBudget, undocumentedExamples, peak, maxAllocated, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>Loads inputs [from, to) of one kind; before each, says which (so a crash can be pinned); a watchdog ends the
/// process when one load outlives the timeout (a hung thread can't be stopped from outside).</summary>
internal static class Worker
{
    /// <summary>The exception a caller of the load acts on: ML.NET's reflection wrappers (TargetInvocationException, and
    /// "Error during class instantiation") removed; MLRobust's own exceptions keep their inner causes.</summary>
    private static bool PassedThroughMLRobust(Exception e) =>
        (e.StackTrace ?? "").Split('\n').Any(frame => frame.TrimStart().StartsWith("at MLRobust.", StringComparison.Ordinal) && !frame.Contains("at MLRobust.Fuzz.", StringComparison.Ordinal));

    private static Exception Unwrap(Exception e)
    {
        while (e.InnerException is { } inner &&
               (e is System.Reflection.TargetInvocationException or AggregateException || (e is InvalidOperationException && e.Message == "Error during class instantiation")))
            e = inner;
        return e;
    }

    public static int Run(string[] args)
    {
        var kind = args[0];
        int from = int.Parse(args[1], CultureInfo.InvariantCulture), to = int.Parse(args[2], CultureInfo.InvariantCulture);
        int seed = int.Parse(args[3], CultureInfo.InvariantCulture), timeout = int.Parse(args[4], CultureInfo.InvariantCulture);
        var scratch = Directory.CreateTempSubdirectory("mlrobust-fuzz-").FullName;
        try
        {
            var target = Target.Create(kind, scratch);
            var output = Console.Out;
            for (var i = from; i < to; i++)
            {
                // Input i depends only on (seed, kind, i): reruns and restarts see the same inputs.
                var random = new Random(unchecked(seed * 1_000_003 + i * 7919 + kind.Length * 104_729));
                var seedIndex = random.Next(target.SeedCount);
                var input = target.Mutate(seedIndex, random, out var how);
                if (target is GltfTarget g) g.Select(seedIndex);
                output.WriteLine($"start\t{i}");
                output.Flush();
                string outcome = "loaded", type = "-", message = how;
                long before = GC.GetTotalAllocatedBytes(precise: false);
                var work = Task.Run(() => target.Load(input, scratch));
                bool finished;
                try
                {
                    finished = work.Wait(TimeSpan.FromSeconds(timeout));
                }
                catch (AggregateException)
                {
                    finished = true; // a rejected input: read below
                }
                if (!finished)
                {
                    output.WriteLine($"hang\t{i}\t{target.Owner(how)}: {how}");
                    output.Flush();
                    Environment.Exit(3);
                }
                if (work.Exception is { } failure)
                {
                    var cause = Unwrap(failure.InnerException!);
                    type = cause.GetType().Name;
                    // Whose handling let the exception out: MLRobust's when it passed through MLRobust's code, else ML.NET's own.
                    var owner = target is ModelTarget ? (PassedThroughMLRobust(cause) ? "MLRobust" : "ML.NET") : "MLRobust";
                    if (owner != "MLRobust") type = $"{owner}:{type}";
                    outcome = target.Documented.Any(t => t.IsInstanceOfType(cause)) ? "rejected" : owner == "MLRobust" ? "undocumented" : "foreign";
                    message = $"{how}: {cause.Message.Replace('\t', ' ').Replace('\n', ' ')}";
                }
                long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
                output.WriteLine($"done\t{i}\t{outcome}\t{type}\t{allocated}\t{Environment.WorkingSet}\t{message}");
            }
            output.Flush();
            return 0;
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); } catch (IOException) { }
        }
    }
}
