using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using MLRobust.Cli.Hosting;
using MLRobust.Experiments;
using MLRobust.Reporting;

namespace MLRobust.Cli.Commands;

/// <summary>
/// <c>mlrobust report --from DIR [--out FILE]</c>: one self-contained HTML file (inline SVG and images, no external requests)
/// from a demo's saved results (results.json and the pictures beside it).
/// </summary>
internal static class ReportCommand
{
    internal const string ResultsFile = "results.json";
    internal const string ReportFile = "report.html";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    internal static Command Create()
    {
        var from = new Option<DirectoryInfo>("--from") { Description = "The folder a demo wrote (results.json and its pictures).", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "The HTML file to write (default: report.html in the --from folder)." };
        var command = new Command("report", "Write a one-file HTML robustness report from a demo's saved results.") { from, output };
        command.SetAction(parseResult =>
        {
            var folder = parseResult.GetValue(from)!;
            var path = Write(folder.FullName, parseResult.GetValue(output)?.FullName);
            parseResult.InvocationConfiguration.Output.WriteLine(path);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Reads the results in <paramref name="folder"/> and writes the report; returns its path.</summary>
    internal static string Write(string folder, string? path = null)
    {
        if (!Directory.Exists(folder)) throw new UserErrorException($"Folder '{folder}' does not exist.");
        var results = Path.Combine(folder, ResultsFile);
        if (!File.Exists(results)) throw new UserErrorException($"Folder '{folder}' holds no {ResultsFile}: run 'mlrobust demo --out {folder}' first.");
        ReproductionResult result;
        try
        {
            result = JsonSerializer.Deserialize<ReproductionResult>(File.ReadAllText(results), Json)
                ?? throw new UserErrorException($"'{results}' is empty.");
        }
        catch (JsonException e)
        {
            throw new UserErrorException($"'{results}' is not a demo's results file: {e.Message}", e);
        }
        if (result.ClassNames is null || result.CleanErrors is null || result.Attacks is null || result.Diagnostics is null || result.LearningCurves is null
            || result.Pictures is null || result.CleanErrors.Any(c => c.Confusion is null))
            throw new UserErrorException($"'{results}' lacks parts of a demo's results (written by an older mlrobust?): run 'mlrobust demo' again.");
        path ??= Path.Combine(folder, ReportFile);
        ReproductionReport.Build(result, folder).Save(path);
        return Path.GetFullPath(path);
    }
}
