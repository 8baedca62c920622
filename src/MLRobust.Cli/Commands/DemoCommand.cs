using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MLRobust.Cli.Hosting;
using MLRobust.Experiments;
using Microsoft.ML;
using Spectre.Console;

namespace MLRobust.Cli.Commands;

/// <summary>
/// <c>mlrobust demo</c>: the main job. Renders the built-in models over procedural backgrounds, trains the
/// direct classifier, the direct classifier with parameter estimation and the triple-staged network, prints
/// the clean error next to the paper's Table 1, attacks the direct and triple-staged models until their
/// label flips (object → another object, object → None), and writes pictures and a summary to --out.
/// </summary>
internal static class DemoCommand
{
    internal static Command Create()
    {
        var scale = new Option<string>("--scale")
        {
            Description = "smoke (seconds, 32x32), small (the default: 64x64, about 10-15 minutes on 2 cores) or paper (the paper's data sizes and solvers; for a GPU).",
            DefaultValueFactory = _ => "small",
        };
        scale.AcceptOnlyFromAmong("smoke", "small", "paper");
        var seed = new Option<int>("--seed") { Description = "Seeds rendering, training and attacks.", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the pictures, results.json and summary.md.", DefaultValueFactory = _ => new DirectoryInfo("demo-output") };
        var samples = new Option<int?>("--attack-samples") { Description = "Object images attacked per experiment and model." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Steps after which an until-flip attack gives up (the paper: 10,000)." };
        var thresholds = new Option<double[]>("--attack-thresholds")
        {
            Description = "Θ at which the triple-staged network is attacked until its label flips (e.g. --attack-thresholds 0.45 0.2 0.7, the paper's " +
                "Fig. 4/6); the first is also the Θ of the goals, the robustness suite and the explanations. Default: 0.45 (paper scale: 0.45 0.2 0.7).",
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of tables." };
        var command = new Command("demo", "Reproduce 'The Artificial Mind's Eye' on the built-in models: render, train three classifiers, compare clean error with the paper, attack until the label flips.")
        {
            scale, seed, output, samples, maxSteps, thresholds, json,
        };
        command.SetAction(parseResult =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            var console = Terminal.For(writer);
            var folder = parseResult.GetValue(output)!;
            var options = new ReproductionOptions
            {
                Scale = Enum.Parse<ReproductionScale>(parseResult.GetValue(scale)!, ignoreCase: true),
                Seed = parseResult.GetValue(seed),
                AttackSamples = parseResult.GetValue(samples),
                AttackMaxSteps = parseResult.GetValue(maxSteps),
                OutputFolder = folder.FullName,
            };
            if (options.AttackSamples is < 1) throw new UserErrorException("--attack-samples must be at least 1.");
            if (options.AttackMaxSteps is < 1) throw new UserErrorException("--max-steps must be at least 1.");
            if (parseResult.GetValue(thresholds) is { Length: > 0 } attackThresholds)
            {
                foreach (var t in attackThresholds)
                    if (!(t >= 0 && t <= 1)) throw new UserErrorException($"--attack-thresholds: each Θ must be in [0, 1], got {t.ToString(CultureInfo.InvariantCulture)}.");
                options.AttackThreshold = attackThresholds[0];
                options.ExtraAttackThresholds = attackThresholds[1..];
            }

            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += onCancel;
            options.CancellationToken = cancel.Token;
            ReproductionResult result;
            if (!parseResult.GetValue(json))
                console.MarkupLine($"[bold]MLRobust demo[/] ({options.Scale.ToString().ToLowerInvariant()} scale, seed {options.Seed}): built-in models over procedural backgrounds");
            try
            {
                var ml = new MLContext(options.Seed);
                if (parseResult.GetValue(json))
                {
                    result = PaperReproduction.Run(ml, options);
                }
                else if (!console.Profile.Capabilities.Interactive)
                {
                    // Logs and pipes: one line per phase and per tenth of it, instead of redrawn bars.
                    var last = (Phase: "", Tenth: -1);
                    options.Progress = p =>
                    {
                        var tenth = (int)Math.Floor(Math.Clamp(p.Fraction, 0, 1) * 10);
                        if (p.Phase == last.Phase && tenth == last.Tenth) return;
                        last = (p.Phase, tenth);
                        writer.WriteLine($"{p.Phase}: {tenth * 10}% {p.Detail}".TrimEnd());
                    };
                    result = PaperReproduction.Run(ml, options);
                }
                else
                {
                    result = console.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                        .Start(ctx =>
                        {
                            var tasks = new Dictionary<string, ProgressTask>();
                            options.Progress = p =>
                            {
                                if (!tasks.TryGetValue(p.Phase, out var task))
                                {
                                    foreach (var earlier in tasks.Values) earlier.Value = earlier.MaxValue;
                                    tasks[p.Phase] = task = ctx.AddTask(Markup.Escape(p.Phase), maxValue: 1000);
                                }
                                task.Value = Math.Clamp(p.Fraction, 0, 1) * 1000;
                            };
                            var r = PaperReproduction.Run(ml, options);
                            foreach (var t in tasks.Values) t.Value = t.MaxValue;
                            return r;
                        });
                }
            }
            catch (OperationCanceledException)
            {
                throw new UserErrorException("The demo was cancelled.");
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }

            var resultsJson = JsonSerializer.Serialize(result, ReportCommand.Json);
            MLRobust.Rendering.AtomicWrite.WriteAllBytes(Path.Combine(folder.FullName, "results.json"), Encoding.UTF8.GetBytes(resultsJson));
            MLRobust.Rendering.AtomicWrite.WriteAllBytes(Path.Combine(folder.FullName, "summary.md"), Encoding.UTF8.GetBytes(Markdown(result)));
            var report = ReportCommand.Write(folder.FullName);
            if (parseResult.GetValue(json))
            {
                writer.WriteLine(resultsJson);
                return ExitCodes.Ok;
            }
            console.Write(GoalTable(result));
            console.Write(CleanTable(result));
            console.Write(AttackTable(result));
            console.Write(DiagnosticsTable(result.Diagnostics));
            if (result.Robustness.Count > 0) console.Write(RobustnessTable(result));
            foreach (var deviation in result.Deviations) console.MarkupLine("[grey]Deviation from the paper:[/] " + Markup.Escape(deviation));
            console.MarkupLine(Markup.Escape(PhaseLine(result)));
            console.MarkupLine($"Pictures, results.json and summary.md in [bold]{Markup.Escape(folder.FullName)}[/] ({result.Elapsed:hh\\:mm\\:ss}).");
            console.MarkupLine($"Report: [bold]{Markup.Escape(report)}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Table GoalTable(ReproductionResult r)
    {
        var table = new Table().Title($"Goals of the small scale ({r.Scale.ToString().ToLowerInvariant()} run)");
        table.AddColumns("measure", "this run", "goal", "paper", "met");
        foreach (var g in r.Goals) table.AddRow(Markup.Escape(g.Measure), g.FormatValue(), Markup.Escape(g.Goal), Markup.Escape(g.Paper), g.Met ? "[green]yes[/]" : "[red]no[/]");
        return table;
    }

    private static Table CleanTable(ReproductionResult r)
    {
        var table = new Table().Title($"Clean error on {r.TestRows} test renders (paper: Table 1)");
        table.AddColumns("model", "Θ", "error", "paper");
        foreach (var row in r.CleanErrors)
            table.AddRow(row.Model, row.Threshold is { } t ? t.ToString("0.##", CultureInfo.InvariantCulture) : "", Percent(row.ErrorPercent), Percent(row.PaperErrorPercent));
        return table;
    }

    private static Table AttackTable(ReproductionResult r)
    {
        var table = new Table().Title("Targeted iterative FGSM until the label flips (one grey level a step)");
        table.AddColumns("model", "experiment", "samples", "flipped", "median steps", "median distortion", "median SSIM");
        foreach (var a in r.Attacks)
            table.AddRow(Markup.Escape(a.Model), Markup.Escape(a.Experiment), a.Samples.ToString(CultureInfo.InvariantCulture),
                $"{a.SuccessRate:P0} (≤ {a.MaxSteps} steps)", Number(a.MedianSteps, "0"), Number(a.MedianDistortion, "0.0000"), Number(a.MedianSsim, "0.000"));
        return table;
    }

    /// <summary>What each stage of the triple-staged network does on the test renders, and which stage its errors come from.</summary>
    private static Table DiagnosticsTable(TripleStagedDiagnostics d)
    {
        var table = new Table().Title($"Triple-staged network, stage by stage ({d.ObjectRows} object and {d.NoneRows} None test rows)");
        table.AddColumns("stage", "measure", "value");
        foreach (var (stage, measure, value) in DiagnosticRows(d)) table.AddRow(stage, Markup.Escape(measure), value);
        return table;
    }

    private static string PhaseLine(ReproductionResult r) =>
        $"Wall time {r.Elapsed:hh\\:mm\\:ss} on {Environment.ProcessorCount} cores: " + string.Join(", ", r.PhaseSeconds.Select(p => $"{p.Key} {p.Value.ToString("0", CultureInfo.InvariantCulture)} s")) +
        (r.StageSeconds.Count == 0 ? "" : "; training stages: " + string.Join(", ", r.StageSeconds.Select(p => $"{p.Key} {p.Value.ToString("0", CultureInfo.InvariantCulture)} s")));

    private static Table RobustnessTable(ReproductionResult r)
    {
        var table = new Table().Title("Robustness suite on the test renders");
        table.AddColumns("model", "measure", "value", "paper");
        foreach (var row in RobustnessRows(r)) table.AddRow(Markup.Escape(row.Model), Markup.Escape(row.Measure), row.Value, row.Paper);
        return table;
    }

    private static IEnumerable<(string Model, string Measure, string Value, string Paper)> RobustnessRows(ReproductionResult r)
    {
        foreach (var s in r.Robustness)
        {
            if (s.Index is { } i)
            {
                yield return (s.Model, "robustness index", Number(i.Index, "0.0000"), "");
                yield return (s.Model, "targeted FGSM to each other class: mean MAE (grey levels) / steps", $"{Number(i.MeanFgsmMae, "0.00")} / {Number(i.MeanFgsmSteps, "0.0")}", "");
                yield return (s.Model, "interpolation: T(A→B) + T(B→A)", Number(i.MeanThresholdSum, "0.000"), "1.10");
                yield return (s.Model, "interpolation: pop-up rate", Number(i.PopUpRate, "0.000"), "≈ 0.33");
            }
            foreach (var c in s.EpsilonCurves)
                yield return (s.Model, $"{c.Attack} accuracy at ε = " + string.Join(" / ", c.EpsilonGreyLevels.Select(e => e.ToString("0.##", CultureInfo.InvariantCulture))) + " grey levels",
                    string.Join(" / ", c.Accuracy.Select(a => (a * 100).ToString("0", CultureInfo.InvariantCulture))) + " %", "");
            if (s.PixelChanges is { } p && p.Settings.Where(x => x.AreaSide == 0 && x.Range == 255).OrderBy(x => x.Count).LastOrDefault() is { } most)
                yield return (s.Model, $"{most.Count} random pixels changed (any value): w / Pixel-index", $"{Number(most.MisclassificationRate * 100, "0.0")}% / {Number(most.PixelIndex, "0.00")}", "");
            if (s.Training.Count > 1)
                yield return (s.Model, "index over training (iteration: index, held-out accuracy)",
                    string.Join("; ", s.Training.Select(t => $"{t.Iteration}: {Number(t.Index, "0.000")}, {(t.CleanAccuracy * 100).ToString("0", CultureInfo.InvariantCulture)}%")), "");
        }
    }

    private static IEnumerable<(string Stage, string Measure, string Value)> DiagnosticRows(TripleStagedDiagnostics d)
    {
        var c = CultureInfo.InvariantCulture;
        string[] angles = ["rx", "ry", "rz"];
        for (var a = 0; a < d.PoseErrorMean.Length; a++)
            yield return ("estimator", $"pose error {(a < angles.Length ? angles[a] : $"p{a}")} (rad, mean / median)", $"{Number(d.PoseErrorMean[a], "0.000")} / {Number(d.PoseErrorMedian[a], "0.000")}");
        yield return ("projector", "mask IoU, estimated / true pose", $"{Number(d.MaskIouEstimatedPose, "0.000")} / {Number(d.MaskIouTruePose, "0.000")}");
        yield return ("projector", "image error |proj − clean|, estimated / true pose", $"{Number(d.ImageErrorEstimatedPose, "0.0000")} / {Number(d.ImageErrorTruePose, "0.0000")}");
        yield return ("comparator", "AUC same vs different: whole network / true-pose projection", $"{Number(d.ScoreAuc, "0.000")} / {Number(d.ComparatorAucTruePose, "0.000")}");
        yield return ("all", $"errors at Θ = {d.Threshold.ToString("0.##", c)} by first failing stage", $"{d.Errors}: " + string.Join(", ", d.ErrorsByStage.Select(e => $"{e.Key} {e.Value}")));
    }

    private static string Markdown(ReproductionResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# MLRobust demo ({r.Scale.ToString().ToLowerInvariant()} scale, {r.ImageSize}x{r.ImageSize}, {r.TrainRows} training and {r.TestRows} test renders)");
        sb.AppendLine();
        sb.AppendLine("| goal of the small scale | this run | goal | paper | met |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var g in r.Goals) sb.AppendLine(CultureInfo.InvariantCulture, $"| {g.Measure} | {g.FormatValue()} | {g.Goal} | {g.Paper} | {(g.Met ? "yes" : "no")} |");
        sb.AppendLine();
        sb.AppendLine("| model | Θ | clean error | paper (Table 1) |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var row in r.CleanErrors)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {row.Model} | {(row.Threshold is { } t ? t.ToString("0.##", CultureInfo.InvariantCulture) : "")} | {Percent(row.ErrorPercent)} | {Percent(row.PaperErrorPercent)} |");
        sb.AppendLine();
        sb.AppendLine("| model | experiment | samples | flipped | median steps | median distortion | median SSIM |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var a in r.Attacks)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {a.Model} | {a.Experiment} | {a.Samples} | {a.SuccessRate:P0} (≤ {a.MaxSteps} steps) | {Number(a.MedianSteps, "0")} | {Number(a.MedianDistortion, "0.0000")} | {Number(a.MedianSsim, "0.000")} |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Triple-staged network, stage by stage ({r.Diagnostics.ObjectRows} object and {r.Diagnostics.NoneRows} None test rows):");
        sb.AppendLine();
        sb.AppendLine("| stage | measure | value |");
        sb.AppendLine("|---|---|---|");
        foreach (var (stage, measure, value) in DiagnosticRows(r.Diagnostics)) sb.AppendLine(CultureInfo.InvariantCulture, $"| {stage} | {measure} | {value} |");
        sb.AppendLine();
        sb.AppendLine(PhaseLine(r));
        sb.AppendLine();
        if (r.Deviations.Count > 0)
        {
            sb.AppendLine("Deviations from the paper:");
            sb.AppendLine();
            foreach (var d in r.Deviations) sb.AppendLine("- " + d);
            sb.AppendLine();
        }
        if (r.Robustness.Count > 0)
        {
            sb.AppendLine("| model | robustness measure | value | paper |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var row in RobustnessRows(r)) sb.AppendLine(CultureInfo.InvariantCulture, $"| {row.Model} | {row.Measure} | {row.Value} | {row.Paper} |");
            sb.AppendLine();
        }
        foreach (var p in r.Pictures) sb.AppendLine(CultureInfo.InvariantCulture, $"![{Path.GetFileNameWithoutExtension(p)}]({Path.GetFileName(p)})");
        return sb.ToString();
    }

    private static string Percent(double value) => double.IsNaN(value) ? "–" : value.ToString("0.00", CultureInfo.InvariantCulture) + "%";
    private static string Number(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);
}
