using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Benchmarks;

/// <summary>A 10,000-iteration training loop written the documented way (one dispose scope per
/// iteration, module and optimizer disposed at the end) must keep native memory flat: RSS growth
/// after warm-up below 50 MB. Records the RSS curve as CSV and as an SVG picture.</summary>
internal static class MemoryLoopDiagnostic
{
    internal sealed record Result(int Iterations, double StartMegabytes, double EndMegabytes, double GrowthMegabytes, double PeakMegabytes,
        bool Flat, double SecondsPerIteration, string CurveCsv, string CurveSvg);

    internal static Result Run(bool quick, string outDir)
    {
        var iterations = quick ? 2_000 : 10_000;
        const int sampleEvery = 250;
        manual_seed(0);
        using var model = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 8 * 8, 2));
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var samples = new List<(int Iteration, double Megabytes)>();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i <= iterations; i++)
        {
            if (i % sampleEvery == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                samples.Add((i, ResidentMegabytes()));
            }
            if (i == iterations) break;
            using var scope = NewDisposeScope();
            var x = randn(16, 1, 32, 32);
            var y = randint(0, 2, new long[] { 16 });
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
            if (i % 100 == 0) _ = loss.ToSingle();
        }
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
