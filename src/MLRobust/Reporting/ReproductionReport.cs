using System.Globalization;
using MLRobust.Experiments;
using MLRobust.Robustness;

namespace MLRobust.Reporting;

/// <summary>
/// The demo's results as one self-contained HTML page: clean metrics and confusion matrices, Table 1 next to the paper,
/// until-flip box plots (the paper's Fig. 4/6), adversarial grids, stage diagnostics and learning curves; pictures are read
/// from the run's folder (by file name, so a moved folder still works).
/// </summary>
public static class ReproductionReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The report of <paramref name="result"/>, whose pictures are in <paramref name="folder"/>.</summary>
    public static HtmlDocument Build(ReproductionResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(folder);
        var doc = new HtmlDocument("MLRobust robustness report");
        Summary(doc, result);
        CleanError(doc, result);
        UntilFlip(doc, result, folder);
        Explanations(doc, result, folder);
        Diagnostics(doc, result, folder);
        if (result.Robustness is { Count: > 0 } robustness) RobustnessSections(doc, robustness);
        return doc;
    }

    private static void Summary(HtmlDocument doc, ReproductionResult r)
    {
        doc.Section("Run");
        doc.Paragraph($"\"The Artificial Mind's Eye\" reproduced at {r.Scale.ToString().ToLowerInvariant()} scale: {r.ImageSize}×{r.ImageSize} renders of the built-in " +
            $"models ({string.Join(", ", r.ClassNames)}), {r.TrainRows.ToString("N0", C)} for training and {r.TestRows.ToString("N0", C)} for testing; wall time {r.Elapsed:hh\\:mm\\:ss}.");
        var best = r.CleanErrors.Where(c => c.Threshold is not null).OrderBy(c => c.ErrorPercent).FirstOrDefault();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var c in r.CleanErrors.Where(c => c.Threshold is null)) rows.Add(new[] { $"clean error, {c.Model}", Percent(c.ErrorPercent), Percent(c.PaperErrorPercent) });
        if (best is not null) rows.Add(new[] { $"clean error, triple-staged (best Θ = {Theta(best.Threshold)})", Percent(best.ErrorPercent), Percent(best.PaperErrorPercent) });
        foreach (var a in r.Attacks) rows.Add(new[] { $"median steps to flip, {a.Model}, {a.Experiment}", Number(a.MedianSteps, "0"), "" });
        doc.Table(new[] { "key number", "this run", "paper" }, rows);
        if (r.Goals is { Count: > 0 } goals)
            doc.Table(new[] { "goal of the small scale", "this run", "goal", "paper", "met" },
                goals.Select(g => (IReadOnlyList<string>)new[] { g.Measure, g.FormatValue(), g.Goal, g.Paper, g.Met ? "yes" : "no" }), "What the small scale aims for");
        if (r.Deviations is { Count: > 0 } deviations)
        {
            doc.Heading("Deviations from the paper");
            foreach (var d in deviations) doc.Paragraph(d, "note");
        }
        if (r.PhaseSeconds is { Count: > 0 } phases)
            doc.Table(new[] { "phase", "seconds" }, phases.Select(p => (IReadOnlyList<string>)new[] { p.Key, p.Value.ToString("0", C) })
                .Concat(r.StageSeconds.Select(p => (IReadOnlyList<string>)new[] { $"training stage: {p.Key}", p.Value.ToString("0", C) })), "Where the time went");
    }

    private static void CleanError(HtmlDocument doc, ReproductionResult r)
    {
        doc.Section("Clean error (Table 1) and confusion matrices");
        doc.Table(new[] { "model", "Θ", "clean error", "paper (Table 1)" },
            r.CleanErrors.Select(c => (IReadOnlyList<string>)new[] { c.Model, c.Threshold is null ? "" : Theta(c.Threshold), Percent(c.ErrorPercent), Percent(c.PaperErrorPercent) }),
            $"Error on {r.TestRows.ToString("N0", C)} test renders");
        doc.Row(d =>
        {
            foreach (var c in r.CleanErrors)
            {
                if (c.Confusion.Length != r.ClassNames.Count) continue;
                var values = new double[c.Confusion.Length, c.Confusion.Length];
                for (var i = 0; i < c.Confusion.Length; i++)
                    for (var j = 0; j < c.Confusion[i].Length; j++) values[i, j] = c.Confusion[i][j];
                var name = c.Threshold is null ? c.Model : $"{c.Model} Θ={Theta(c.Threshold)}";
                d.Figure(new HeatMap(values, r.ClassNames, r.ClassNames) { Title = name, RowAxis = "true class", ColumnAxis = "predicted class", Format = "0" });
            }
        });
    }

    private static void UntilFlip(HtmlDocument doc, ReproductionResult r, string folder)
    {
        doc.Section("Targeted attacks until the label flips (Fig. 4 and Fig. 6)");
        doc.Paragraph("Targeted iterative FGSM, one grey level a step, until the model outputs the target. Object → another object is the paper's " +
            "false positive (Fig. 4), object → None its false negative (Fig. 6). More steps and more distortion mean a harder-to-fool model.");
        doc.Table(new[] { "model", "experiment", "samples", "flipped", "median steps", "median distortion", "median SSIM" },
            r.Attacks.Select(a => (IReadOnlyList<string>)new[]
            {
                a.Model, a.Experiment, a.Samples.ToString(C), $"{a.SuccessRate.ToString("P0", C)} (≤ {a.MaxSteps} steps)",
                Number(a.MedianSteps, "0"), Number(a.MedianDistortion, "0.0000"), Number(a.MedianSsim, "0.000"),
            }));
        foreach (var experiment in r.Attacks.Select(a => a.Experiment).Distinct())
        {
            var rows = r.Attacks.Where(a => a.Experiment == experiment).ToList();
            doc.Row(d =>
            {
                // A log axis can't show samples that flipped at step 0 (already the target): then a linear one.
                var logSteps = rows.All(a => a.Steps.All(v => v > 0));
                var steps = new BoxPlot { Title = $"Steps to flip: {experiment}", YLabel = logSteps ? "steps (log scale)" : "steps", LogY = logSteps };
                var distortion = new BoxPlot { Title = $"Distortion: {experiment}", YLabel = "distortion d" };
                foreach (var a in rows)
                {
                    steps.Add(a.Model, a.Steps);
                    distortion.Add(a.Model, a.Distortions);
                }
                d.Figure(steps, "Flipped samples only; box = quartiles, whiskers = 1.5 IQR.");
                d.Figure(distortion);
            });
        }
        var grids = Pictures(r, folder, "attack-", ".png").ToList();
        if (grids.Count > 0)
        {
            doc.Heading("Adversarial examples: clean | adversarial | difference");
            doc.Row(d =>
            {
                foreach (var path in grids) d.Png(File.ReadAllBytes(path), Path.GetFileNameWithoutExtension(path), Caption(path), pixelated: true);
            });
        }
    }

    private static void Explanations(HtmlDocument doc, ReproductionResult r, string folder)
    {
        var overlays = Pictures(r, folder, "explain-", ".png").ToList();
        if (overlays.Count == 0) return;
        doc.Section("Explanations of clean and adversarial images");
        doc.Paragraph("What each model looks at when it decides, on an image before and after the targeted attack (object → another object). " +
            "LIME: superpixels (quickshift) switched on and off, 150 samples, a weighted linear fit; red = evidence for the predicted class, " +
            "blue = against, yellow outline = the top superpixels. IG: integrated gradients from a black image.");
        // File names: explain-{model}-{k}-{clean|adversarial}-{lime|ig}.png; one row per model and image.
        var parsed = overlays.Select(path => (Path: path, Parts: Path.GetFileNameWithoutExtension(path)["explain-".Length..].Split('-'))).Where(x => x.Parts.Length >= 4)
            .Select(x => (x.Path, Model: string.Join(' ', x.Parts[..^3]), Image: x.Parts[^3], Kind: x.Parts[^2], Method: x.Parts[^1] == "ig" ? "integrated gradients" : "LIME"));
        foreach (var group in parsed.GroupBy(x => (x.Model, x.Image)))
            doc.Row(d =>
            {
                foreach (var x in group) d.Png(File.ReadAllBytes(x.Path), $"{x.Model} {x.Kind} {x.Method}", $"{x.Model}, image {x.Image}: {x.Kind}, {x.Method}");
            });
    }

    private static void Diagnostics(HtmlDocument doc, ReproductionResult r, string folder)
    {
        var d = r.Diagnostics;
        doc.Section("The triple-staged network, stage by stage");
        string[] angles = ["rx", "ry", "rz"];
        var rows = new List<IReadOnlyList<string>>();
        for (var a = 0; a < d.PoseErrorMean.Length; a++)
            rows.Add(new[] { "estimator", $"pose error {(a < angles.Length ? angles[a] : $"p{a}")} (radians), mean / median", $"{Number(d.PoseErrorMean[a], "0.000")} / {Number(d.PoseErrorMedian[a], "0.000")}" });
        rows.Add(new[] { "projector", "mask IoU with the render's alpha, estimated / true pose", $"{Number(d.MaskIouEstimatedPose, "0.000")} / {Number(d.MaskIouTruePose, "0.000")}" });
        rows.Add(new[] { "projector", "image error |projection − clean render|, estimated / true pose", $"{Number(d.ImageErrorEstimatedPose, "0.0000")} / {Number(d.ImageErrorTruePose, "0.0000")}" });
        rows.Add(new[] { "comparator", "AUC same vs different class: whole network / true-pose projection", $"{Number(d.ScoreAuc, "0.000")} / {Number(d.ComparatorAucTruePose, "0.000")}" });
        rows.Add(new[] { "all", $"errors at Θ = {Theta(d.Threshold)}, by first failing stage", $"{d.Errors}: " + string.Join(", ", d.ErrorsByStage.Select(e => $"{e.Key} {e.Value}")) });
        doc.Table(new[] { "stage", "measure", "value" }, rows, $"{d.ObjectRows} object and {d.NoneRows} None test rows");
        var renders = Pictures(r, folder, "test-renders", ".png").ToList();
        foreach (var path in renders) doc.Png(File.ReadAllBytes(path), "test renders", "Test renders (the first 24).", pixelated: true);
        var curves = Pictures(r, folder, "learning-curve-", ".svg").ToList();
        if (curves.Count > 0)
        {
            doc.Heading("Learning curves");
            doc.Row(x =>
            {
                foreach (var path in curves) x.SvgFile(path);
            });
        }
    }

    private static void RobustnessSections(HtmlDocument doc, IReadOnlyList<RobustnessSummary> summaries)
    {
        doc.Section("Robustness index, interpolation and targeted FGSM (Ding and Moeller)");
        doc.Paragraph("Targeted iterative FGSM (one grey level a step, until the target class) from every selected, correctly classified image " +
            "to every other class, and linear interpolation between images of every class pair (T in 100 steps). The index is MLRobust's " +
            "combination of the two (higher = harder to move between classes): √(mean FGSM MAE × mean MAE at the switch point) / 255.");
        doc.Table(new[] { "model", "index", "FGSM cases", "flipped", "mean MAE (grey levels)", "mean steps", "interpolation cases", "mean switch T", "T(A→B) + T(B→A) (paper 1.10)", "pop-up rate (paper ≈ 1/3)" },
            summaries.Where(s => s.Index is not null).Select(s =>
            {
                var i = s.Index!;
                return (IReadOnlyList<string>)new[]
                {
                    s.Model, Number(i.Index, "0.0000"), i.FgsmCases.ToString(C), Number(i.FgsmSuccessRate * 100, "0") + "%", Number(i.MeanFgsmMae, "0.00"),
                    Number(i.MeanFgsmSteps, "0.0"), i.InterpolationCases.ToString(C), Number(i.MeanSwitchThreshold, "0.000"), Number(i.MeanThresholdSum, "0.000"), Number(i.PopUpRate, "0.000"),
                };
            }));
        doc.Row(d =>
        {
            foreach (var s in summaries.Where(s => s.Index is not null))
            {
                d.Figure(RobustnessCharts.FgsmMae(s));
                d.Figure(RobustnessCharts.SwitchThreshold(s));
            }
        });
        foreach (var s in summaries.Where(s => s.Training.Count > 0))
        {
            doc.Heading($"{s.Model}: the index as training goes (the paper's observation: it moves with the training state)");
            doc.Row(d =>
            {
                d.Figure(RobustnessCharts.TrainingIndex(s.Model, s.Training));
                d.Figure(RobustnessCharts.TrainingAccuracy(s.Model, s.Training));
            });
            doc.Table(new[] { "iteration", "held-out accuracy", "index", "mean FGSM MAE", "mean switch T", "pop-up rate" },
                s.Training.Select(r => (IReadOnlyList<string>)new[]
                {
                    r.Iteration.ToString(C), Number(r.CleanAccuracy * 100, "0.0") + "%", Number(r.Index, "0.0000"), Number(r.MeanMae, "0.00"),
                    Number(r.MeanSwitchThreshold, "0.000"), Number(r.PopUpRate, "0.000"),
                }));
        }

        doc.Section("Accuracy against ε");
        doc.Figure(RobustnessCharts.AccuracyAgainstEpsilon(summaries), "Untargeted FGSM and PGD (L∞) at each ε, on the same test images.");
        foreach (var s in summaries)
            doc.Table(new[] { "attack" }.Concat(s.EpsilonCurves.FirstOrDefault()?.EpsilonGreyLevels.Select(e => $"ε = {Number(e, "0.##")}") ?? Array.Empty<string>()).ToArray(),
                s.EpsilonCurves.Select(c => (IReadOnlyList<string>)new[] { c.Attack }.Concat(c.Accuracy.Select(a => Number(a * 100, "0.0") + "%")).ToArray()),
                $"{s.Model}: accuracy (ε in grey levels) on {s.Rows} test images");

        doc.Section("Random pixel changes and the Pixel-index (Zhang and Cai)");
        doc.Paragraph("w: share of clean-correct images that random changes of a few pixels misclassify. Pixel-index Pi = w / (p · r · a): " +
            "p = changed share of pixels, r = value range / 255, a = area share; lower is more robust.");
        doc.Row(d =>
        {
            foreach (var s in summaries.Where(s => s.PixelChanges is not null)) d.Figure(RobustnessCharts.PixelChanges(s, PixelSensitivityOptions.WholeImage));
        });
        foreach (var s in summaries.Where(s => s.PixelChanges is not null))
            doc.Table(new[] { "pixels", "range", "area", "w", "Pi", "trials" },
                s.PixelChanges!.Settings.Select(p => (IReadOnlyList<string>)new[]
                {
                    p.Count.ToString(C), p.Range == PixelSensitivityOptions.FullRange ? "0-255" : $"±{p.Range.ToString(C)}",
                    p.AreaSide == PixelSensitivityOptions.WholeImage ? "whole" : $"{p.AreaSide}×{p.AreaSide}", Number(p.MisclassificationRate * 100, "0.0") + "%",
                    Number(p.PixelIndex, "0.00"), p.Trials.ToString(C),
                }), $"{s.Model}: Pi per setting");
        var restores = summaries.Where(s => s.Restore is { Settings.Count: > 0 }).ToList();
        if (restores.Count > 0)
            doc.Table(new[] { "model", "FGSM ε", "adversarial images", "random pixels changed", "restored to the right class" },
                restores.SelectMany(s => s.Restore!.Settings.Select(p => (IReadOnlyList<string>)new[]
                {
                    s.Model, $"{Number(s.Restore.Epsilon * 255, "0.#")}/255", s.Restore.Adversarial.ToString(C), p.Count.ToString(C), Number(p.RestoreRate * 100, "0.0") + "%",
                })),
                "Random pixel changes turning FGSM adversarial images back to the right class (the attack's own robustness)");
    }

    /// <summary>The run's pictures whose file names start with <paramref name="prefix"/>, found in <paramref name="folder"/>.</summary>
    private static IEnumerable<string> Pictures(ReproductionResult r, string folder, string prefix, string extension) =>
        r.Pictures.Select(Path.GetFileName).Where(n => n is not null && n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(extension, StringComparison.Ordinal))
            .Select(n => Path.Combine(folder, n!)).Where(File.Exists);

    private static string Caption(string path) => Path.GetFileNameWithoutExtension(path).Replace("attack-", "", StringComparison.Ordinal).Replace('-', ' ');

    internal static string Percent(double value) => double.IsNaN(value) ? "–" : value.ToString("0.00", C) + "%";

    internal static string Number(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, C);

    internal static string Theta(double? value) => value is { } v ? v.ToString("0.##", C) : "";
}
