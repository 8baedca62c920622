using System.Globalization;
using System.Text;

namespace MLRobust.Training;

/// <summary>One row of the clean-error table: a model (and Θ for the triple-staged one), its error on the clean test renders, and
/// the paper's Table 1 value.</summary>
public sealed record ReproductionRow(string Model, double? Threshold, int Errors, int Count, double PaperErrorRate)
{
    public double ErrorRate => Count == 0 ? double.NaN : (double)Errors / Count;
}

/// <summary>The clean-error table of a reproduction run, with what it was run on.</summary>
public sealed record ReproductionResult(IReadOnlyList<ReproductionRow> Rows, ReproductionScale Scale, int TrainRows, int TestRows, int ImageSize,
    IReadOnlyDictionary<string, TimeSpan> TrainingTimes, TimeSpan Elapsed)
{
    /// <summary>The table as Markdown, next to the paper's Table 1.</summary>
    public string ToMarkdown()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Clean error rate, {Scale.ToString().ToLowerInvariant()} scale ({TrainRows} training / {TestRows} test renders of {ImageSize}x{ImageSize}):");
        text.AppendLine();
        text.AppendLine("| Model | Θ | MLRobust | Paper (Table 1) |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var r in Rows)
            text.AppendLine(c, $"| {r.Model} | {(r.Threshold is { } t ? t.ToString("0.00", c) : "–")} | {r.ErrorRate * 100:0.00}% ({r.Errors}/{r.Count}) | {r.PaperErrorRate * 100:0.00}% |");
        text.AppendLine();
        text.Append(c, $"Training: {string.Join(", ", TrainingTimes.Select(t => $"{t.Key} {t.Value.TotalMinutes:0.0} min"))}; total {Elapsed.TotalMinutes:0.0} min.");
        return text.ToString();
    }
}
