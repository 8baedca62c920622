using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Benchmarks;

/// <summary>MLRobust's own training loop (DirectTraining: the stage runner, the sample source, Adam, one dispose scope
/// per iteration) run for 10,000 iterations on a small AlexNet-small must keep native memory flat: RSS growth after
/// warm-up below 50 MB. Records the RSS curve (sampled from the progress callback) as CSV and as an SVG picture.</summary>
internal static class MemoryLoopDiagnostic
{
    internal sealed record Result(int Iterations, double StartMegabytes, double EndMegabytes, double GrowthMegabytes, double PeakMegabytes,
        bool Flat, double SecondsPerIteration, string CurveCsv, string CurveSvg);

    internal static Result Run(bool quick, string outDir)
    {
        var iterations = quick ? 2_000 : 10_000;
        const int sampleEvery = 250, size = 32;
        manual_seed(0);
        var samples = new List<(int Iteration, double Megabytes)>();
        using var images = rand(512, 1, size, size);
        using var classes = randint(0, 4, new long[] { 512 });
        using var source = new MLRobust.Training.TensorSampleSource(images, classes, 4, 3);
        using var network = new MLRobust.Models.DirectClassifier(4, 3, size, new MLRobust.Models.AlexNetSmallWidths(8, 16, 16, 16, 16, 64));
        var options = new MLRobust.Training.DirectTrainingOptions
        {
            Classifier = new MLRobust.Training.StageOptions(iterations, 16, new MLRobust.Training.SolverOptions { Optimizer = MLRobust.Training.OptimizerKind.Adam, LearningRate = 1e-3 }),
            ProgressInterval = sampleEvery,
            Progress = p =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                samples.Add((p.Iteration, ResidentMegabytes()));
            },
        };
        GC.Collect();
        samples.Add((0, ResidentMegabytes()));
        var sw = Stopwatch.StartNew();
        MLRobust.Training.DirectTraining.Train(network, source, options);
        var seconds = sw.Elapsed.TotalSeconds / iterations;
        // Growth is measured from the first sample after warm-up (allocator pools and JIT settle first).
        var baseline = samples.First(s => s.Iteration >= Math.Min(500, iterations / 4)).Megabytes;
        var end = samples[^1].Megabytes;
        var peak = samples.Max(s => s.Megabytes);
        var csv = Path.Combine(outDir, "memory-loop-rss.csv");
        File.WriteAllLines(csv, new[] { "iteration,rss_mb" }.Concat(samples.Select(s => FormattableString.Invariant($"{s.Iteration},{s.Megabytes:F2}"))));
        var svg = Path.Combine(outDir, "memory-loop-rss.svg");
        File.WriteAllText(svg, Svg(samples));
        var result = new Result(iterations, baseline, end, end - baseline, peak, end - baseline < 50, seconds, csv, svg);
        Console.WriteLine($"  {iterations} iterations, {seconds * 1000:F2} ms each");
        Console.WriteLine($"  RSS after warm-up {baseline:F1} MB, at end {end:F1} MB, peak {peak:F1} MB: growth {end - baseline:F1} MB (goal < 50 MB) → {(result.Flat ? "flat" : "GROWING")}");
        Console.WriteLine("  curve: " + string.Join(" ", samples.Where((_, k) => k % 4 == 0).Select(s => FormattableString.Invariant($"{s.Iteration}:{s.Megabytes:F0}"))));
        if (!result.Flat) throw new InvalidOperationException($"native memory grew by {end - baseline:F1} MB over {iterations} iterations");
        return result;
    }

    internal static double ResidentMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return double.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        throw new InvalidOperationException("VmRSS not found in /proc/self/status");
    }

    private static string Svg(IReadOnlyList<(int Iteration, double Megabytes)> samples)
    {
        const double w = 640, h = 320, left = 60, bottom = 40, top = 20, right = 20;
        var maxX = Math.Max(1, samples.Max(s => s.Iteration));
        var maxY = Math.Ceiling(samples.Max(s => s.Megabytes) / 50) * 50 + 50;
        string X(double v) => (left + v / maxX * (w - left - right)).ToString("F1", CultureInfo.InvariantCulture);
        string Y(double v) => (h - bottom - v / maxY * (h - top - bottom)).ToString("F1", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"12\">");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Y(0)}\" x2=\"{w - right}\" y2=\"{Y(0)}\" stroke=\"black\"/><line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{Y(0)}\" stroke=\"black\"/>");
        for (var v = 0.0; v <= maxY; v += maxY / 5)
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{Y(v)}\" text-anchor=\"end\">{v:F0}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(maxX)}\" y=\"{h - 10}\" text-anchor=\"end\">iteration {maxX}</text>");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"{top - 5}\">RSS (MB) during the training loop</text>");
        sb.Append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"");
        foreach (var (i, mb) in samples) sb.Append(CultureInfo.InvariantCulture, $"{X(i)},{Y(mb)} ");
        sb.Append("\"/></svg>");
        return sb.ToString();
    }
}
