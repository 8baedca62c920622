using MLRobust.Rendering.DataViews;
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using MLRobust.Cli.Hosting;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Models;
using MLRobust.Rendering.Scenes;
using MLRobust.Trainers;
using MLRobust.Training;
using Spectre.Console;

namespace MLRobust.Cli.Commands;

/// <summary>
/// <c>mlrobust train --model direct|direct-parameters|triple-staged --out FILE.zip [--data DIR | --count N --size S]
/// [--test-fraction F] [--iterations N | --estimator-iterations N --projector-iterations N --comparator-iterations N]
/// [--batch-size N] [--paper-solvers] [--threshold Θ] [--checkpoint DIR] [--checkpoint-every N] [--seed K] [--gpu ID] [--json]
/// [--adversarial pgd|fgsm [--adversarial-epsilon E] [--adversarial-ratio R] [--adversarial-steps N]]</c>: trains one of the
/// three classifiers on synthetic scenes of the built-in models (or on a rendered folder), with a progress bar per stage, saves
/// it, and reports its error on the held-out rows (for triple-staged at Θ = 0.2, 0.45 and 0.7 too).
/// </summary>
internal static class TrainCommand
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Split views up to this many rows are kept in memory (about 50 KB a row at 64x64); larger ones stream, shuffled through a pool.</summary>
    private const long CacheLimit = 20_000;

    internal static Command Create()
    {
        var kind = new Option<string>("--model") { Description = "Which classifier: direct, direct-parameters or triple-staged.", Required = true };
        kind.AcceptOnlyFromAmong("direct", "direct-parameters", "triple-staged");
        var output = new Option<FileInfo>("--out") { Description = "The model file to write (.zip).", Required = true };
        var data = new Option<DirectoryInfo?>("--data") { Description = "A rendered folder (mlrobust render --out); default: synthetic scenes of the built-in models." };
        var count = new Option<int>("--count") { Description = "Synthetic scenes to render (training + test).", DefaultValueFactory = _ => 2500 };
        var size = new Option<int>("--size") { Description = "Synthetic scene size in pixels (a multiple of 8, at least 24).", DefaultValueFactory = _ => 64 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Rows held out to measure the error.", DefaultValueFactory = _ => 0.2 };
        var iterations = new Option<int?>("--iterations") { Description = "Iterations of every stage (default: the laptop-sized defaults)." };
        var estimatorIterations = new Option<int?>("--estimator-iterations") { Description = "Iterations of stage 1 (triple-staged)." };
        var projectorIterations = new Option<int?>("--projector-iterations") { Description = "Iterations of stage 2 (triple-staged)." };
        var comparatorIterations = new Option<int?>("--comparator-iterations") { Description = "Iterations of stage 3 (triple-staged)." };
        var batch = new Option<int?>("--batch-size") { Description = "Batch size of the classifier and of stages 1-2 (stage 3 counts patches: 8 times this)." };
        var paperSolvers = new Option<bool>("--paper-solvers") { Description = "The reference code's solvers, run lengths and initialisation (for a GPU)." };
        var threshold = new Option<double>("--threshold") { Description = "Θ of the triple-staged classifier.", DefaultValueFactory = _ => 0.45 };
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "Keep checkpoints in this folder and resume from one found there." };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Iterations between checkpoints (and one at the end of every stage).", DefaultValueFactory = _ => 500 };
        var seed = new Option<int>("--seed") { Description = "Seeds the scenes, the split and the training.", DefaultValueFactory = _ => 1 };
        var gpu = new Option<int?>("--gpu") { Description = "Train on this CUDA device (needs a CUDA build of libtorch)." };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON, without progress bars." };
        var adversarial = new Option<string?>("--adversarial") { Description = "Adversarial training of the direct models: replace part of every batch by PGD (Madry) or FGSM examples of the current weights." };
        adversarial.AcceptOnlyFromAmong("pgd", "fgsm");
        var adversarialEpsilon = new Option<double?>("--adversarial-epsilon") { Description = "L∞ radius ε of the adversarial examples, in [0, 1] image units (default 8/255); PGD steps ε/4." };
        var adversarialRatio = new Option<double?>("--adversarial-ratio") { Description = "Fraction of every batch replaced by adversarial examples, in (0, 1] (default 0.5; 1: all-adversarial)." };
        var adversarialSteps = new Option<int?>("--adversarial-steps") { Description = "PGD iterations per batch (default 7)." };
        var monitorEvery = new Option<int?>("--monitor-every") { Description = "Measure the robustness index (Ding and Moeller) on held-out rows every N iterations (triple-staged: in the comparator stage); recorded in the results and drawn next to the model as <out>.robustness.svg." };
        var monitorRows = new Option<int>("--monitor-rows") { Description = "Held-out rows the monitor reads.", DefaultValueFactory = _ => 64 };
        var monitorImages = new Option<int>("--monitor-images-per-class") { Description = "Correctly classified images per class the monitor attacks and interpolates.", DefaultValueFactory = _ => 3 };
        var monitorSteps = new Option<int>("--monitor-max-steps") { Description = "Steps after which the monitor's targeted FGSM gives up.", DefaultValueFactory = _ => 200 };
        var command = new Command("train", "Train the direct, direct + parameters or triple-staged classifier on synthetic scenes or a rendered folder, and save it.")
        {
            kind, output, data, count, size, testFraction, iterations, estimatorIterations, projectorIterations, comparatorIterations, batch,
            paperSolvers, threshold, checkpoint, checkpointEvery, seed, gpu, json, adversarial, adversarialEpsilon, adversarialRatio, adversarialSteps,
            monitorEvery, monitorRows, monitorImages, monitorSteps,
        };
        command.SetAction(parseResult =>
        {
            var s = new Settings(parseResult.GetValue(kind)!, parseResult.GetValue(output)!, parseResult.GetValue(data), parseResult.GetValue(count),
                parseResult.GetValue(size), parseResult.GetValue(testFraction), parseResult.GetValue(iterations), parseResult.GetValue(estimatorIterations),
                parseResult.GetValue(projectorIterations), parseResult.GetValue(comparatorIterations), parseResult.GetValue(batch),
                parseResult.GetValue(paperSolvers), parseResult.GetValue(threshold), parseResult.GetValue(checkpoint), parseResult.GetValue(checkpointEvery), parseResult.GetValue(seed),
                parseResult.GetValue(gpu), parseResult.GetValue(json), parseResult.GetValue(adversarial), parseResult.GetValue(adversarialEpsilon),
                parseResult.GetValue(adversarialRatio), parseResult.GetValue(adversarialSteps), parseResult.GetValue(monitorEvery),
                parseResult.GetValue(monitorRows), parseResult.GetValue(monitorImages), parseResult.GetValue(monitorSteps));
            var writer = parseResult.InvocationConfiguration.Output;
            var metrics = s.Json ? Run(s, _ => { }) : RunWithProgress(s, writer);
            if (s.Json) writer.WriteLine(JsonSerializer.Serialize(metrics, s_json));
            else Terminal.For(writer).Write(ToTable(metrics));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal sealed record Settings(string Kind, FileInfo Output, DirectoryInfo? Data, int Count, int Size, double TestFraction, int? Iterations,
        int? EstimatorIterations, int? ProjectorIterations, int? ComparatorIterations, int? BatchSize, bool PaperSolvers, double Threshold,
        DirectoryInfo? Checkpoint, int CheckpointEvery, int Seed, int? Gpu, bool Json, string? Adversarial = null, double? AdversarialEpsilon = null,
        double? AdversarialRatio = null, int? AdversarialSteps = null, int? MonitorEvery = null, int MonitorRows = 64, int MonitorImagesPerClass = 3,
        int MonitorMaxSteps = 200);

    /// <summary>The JSON result: where the model went, what it trained on, the last loss of each stage and the held-out errors.</summary>
    internal sealed record Metrics(string Model, string File, int TrainRows, int TestRows, int ImageSize, double TrainingSeconds,
        IReadOnlyDictionary<string, double> FinalLosses, double Accuracy, double ErrorRate, double MacroAccuracy,
        IReadOnlyDictionary<string, double>? ErrorRateByThreshold, double? Threshold, string? AdversarialTraining = null)
    {
        /// <summary>The robustness index on held-out rows as training went (with --monitor-every).</summary>
        public IReadOnlyList<MLRobust.Robustness.RobustnessRecord>? Robustness { get; init; }
    }

    private static Metrics RunWithProgress(Settings s, TextWriter writer)
    {
        Metrics? result = null;
        Terminal.For(writer).Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                result = Run(s, p =>
                {
                    if (!tasks.TryGetValue(p.Stage, out var task)) tasks[p.Stage] = task = context.AddTask(p.Stage, maxValue: Math.Max(1, p.Iterations));
                    task.Value = p.Iteration;
                    task.Description = double.IsFinite(p.Loss) ? $"{p.Stage} (loss {p.Loss:G3})" : p.Stage;
                });
            });
        return result!;
    }

    internal static Metrics Run(Settings s, Action<TrainingProgress> progress)
    {
        Check(s);
        var ml = new MLContext(s.Seed) { GpuDeviceId = s.Gpu };
        var all = LoadData(ml, s);
        var split = ml.Data.TrainTestSplit(all, s.TestFraction, seed: s.Seed);
        var trainRows = split.TrainSet.CountRows();
        var train = trainRows <= CacheLimit ? ml.Data.Cache(split.TrainSet) : ml.Data.ShuffleRows(split.TrainSet, s.Seed);
        var test = trainRows <= CacheLimit ? ml.Data.Cache(split.TestSet) : split.TestSet;
        var size = (int)Math.Round(Math.Sqrt(all.Schema[SceneColumns.Image].Type.GetValueCount()));
        var losses = new Dictionary<string, double>();
        void Report(TrainingProgress p)
        {
            if (double.IsFinite(p.Loss)) losses[p.Stage] = p.Loss;
            progress(p);
        }

        using var monitor = s.MonitorEvery is { } every ? Monitor(test, every, s) : null;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ITransformer model;
        try
        {
            model = s.Kind == "triple-staged" ? TrainTripleStaged(ml, s, train, Report, monitor) : TrainDirect(ml, s, train, Report, monitor);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("checkpoint", StringComparison.Ordinal))
        {
            throw new UserErrorException(e.Message, e);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        try
        {
            var folder = s.Output.Directory ?? throw new UserErrorException($"--out '{s.Output}' has no folder.");
            if (!folder.Exists) throw new UserErrorException($"--out: folder '{folder.FullName}' does not exist.");
            ml.Model.SaveAtomically(model, train.Schema, s.Output.FullName);
            var testRows = (int)test.CountRows();
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            Dictionary<string, double>? byTheta = null;
            double? theta = null;
            if (model is TripleStagedTransformer triple)
            {
                theta = triple.Threshold;
                byTheta = ErrorsByThreshold(triple, test, new[] { 0.2, 0.45, 0.7, triple.Threshold });
            }
            if (monitor is { History.Count: > 0 })
                MLRobust.Reporting.RobustnessCharts.TrainingIndex(s.Kind, monitor.History).Save(Path.ChangeExtension(s.Output.FullName, ".robustness.svg"));
            return new Metrics(s.Kind, s.Output.FullName, (int)trainRows, testRows, size, seconds, losses, metrics.MicroAccuracy, 1 - metrics.MicroAccuracy,
                metrics.MacroAccuracy, byTheta, theta, Describe(AdversarialOptions(s))) { Robustness = monitor?.History.ToList() };
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    private static void Check(Settings s)
    {
        if (!(s.TestFraction > 0 && s.TestFraction < 1)) throw new UserErrorException($"--test-fraction must be between 0 and 1 (exclusive), got {s.TestFraction}.");
        if (s.Data is null && s.Count < 10) throw new UserErrorException($"--count must be at least 10, got {s.Count}.");
        if (s.Data is null && (s.Size < 24 || s.Size > 1024 || s.Size % 8 != 0)) throw new UserErrorException($"--size must be a multiple of 8 between 24 and 1024, got {s.Size}.");
        foreach (var (value, name) in new[] { (s.Iterations, "--iterations"), (s.EstimatorIterations, "--estimator-iterations"),
                     (s.ProjectorIterations, "--projector-iterations"), (s.ComparatorIterations, "--comparator-iterations") })
            if (value is < 0) throw new UserErrorException($"{name} must not be negative, got {value}.");
        if (s.BatchSize is < 1) throw new UserErrorException($"--batch-size must be at least 1, got {s.BatchSize}.");
        if (!(s.Threshold >= 0 && s.Threshold <= 1)) throw new UserErrorException($"--threshold must be in [0, 1], got {s.Threshold}.");
        if (s.Kind != "triple-staged" && (s.EstimatorIterations ?? s.ProjectorIterations ?? s.ComparatorIterations) is not null)
            throw new UserErrorException("--estimator-, --projector- and --comparator-iterations apply to --model triple-staged; use --iterations.");
        AdversarialOptions(s);
        if (s.Data is { Exists: false }) throw new DirectoryNotFoundException($"--data: folder '{s.Data.FullName}' does not exist.");
    }

    /// <summary>The adversarial training the flags ask for (null: none), checked, with bad values reported under their flag names.</summary>
    internal static AdversarialTrainingOptions? AdversarialOptions(Settings s)
    {
        if (s.Adversarial is null)
        {
            if (s.AdversarialEpsilon is not null || s.AdversarialRatio is not null || s.AdversarialSteps is not null)
                throw new UserErrorException("--adversarial-epsilon, --adversarial-ratio and --adversarial-steps need --adversarial pgd|fgsm.");
            return null;
        }
        if (s.Kind == "triple-staged") throw new UserErrorException("--adversarial applies to --model direct and direct-parameters.");
        var o = new AdversarialTrainingOptions { Attack = s.Adversarial == "fgsm" ? AdversarialTrainingAttack.Fgsm : AdversarialTrainingAttack.Pgd };
        if (s.AdversarialEpsilon is { } e)
        {
            o.Epsilon = e;
            // Madry's step-to-radius ratio (2/255 at 8/255), so that the steps can reach the ball's surface.
            if (double.IsFinite(e) && e > 0) o.StepSize = e / 4;
        }
        if (s.AdversarialRatio is { } r) o.Ratio = r;
        if (s.AdversarialSteps is { } n) o.Steps = n;
        try
        {
            o.Validate();
        }
        catch (ArgumentOutOfRangeException x)
        {
            var flag = x.ParamName switch
            {
                nameof(o.Epsilon) or nameof(o.StepSize) => "--adversarial-epsilon",
                nameof(o.Ratio) => "--adversarial-ratio",
                nameof(o.Steps) => "--adversarial-steps",
                _ => "--adversarial",
            };
            var message = x.Message;
            var cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
            throw new UserErrorException($"{flag}: {(cut >= 0 ? message[..cut] : message)} Got {x.ActualValue}.", x);
        }
        return o;
    }

    private static string? Describe(AdversarialTrainingOptions? o) => o is null ? null : FormattableString.Invariant(
        $"{(o.Attack == AdversarialTrainingAttack.Pgd ? $"pgd ({o.Steps} steps of {o.StepSize:G4})" : "fgsm")}, ε = {o.Epsilon:G4}, ratio {o.Ratio:G4}");

    private static IDataView LoadData(MLContext ml, Settings s)
    {
        try
        {
            return s.Data is { } folder
                ? ml.Data.LoadFromRenderedFolder(folder.FullName)
                : ml.Data.LoadFromSyntheticScenes(new SyntheticSceneOptions { Count = s.Count, ImageSize = s.Size, Seed = s.Seed });
        }
        catch (InvalidDataException e)
        {
            throw new UserErrorException(e.Message, e);
        }
    }

    /// <summary>The robustness monitor over the first held-out rows (--monitor-every).</summary>
    private static MLRobust.Robustness.RobustnessMonitor Monitor(IDataView test, int every, Settings s)
    {
        if (every < 1) throw new UserErrorException("--monitor-every must be at least 1.");
        if (s.MonitorRows < 1) throw new UserErrorException("--monitor-rows must be at least 1.");
        if (s.MonitorImagesPerClass < 1) throw new UserErrorException("--monitor-images-per-class must be at least 1.");
        if (s.MonitorMaxSteps < 1) throw new UserErrorException("--monitor-max-steps must be at least 1.");
        using var heldOut = MLRobust.Robustness.LabelledImages.Read(test, SceneColumns.Image, SceneColumns.Label, s.MonitorRows);
        using var labels = TorchSharp.torch.tensor(heldOut.Labels);
        return new MLRobust.Robustness.RobustnessMonitor(heldOut.Images, labels, every,
            new MLRobust.Robustness.RobustnessIndexOptions { ImagesPerClass = s.MonitorImagesPerClass, MaxSteps = s.MonitorMaxSteps, Seed = s.Seed });
    }

    private static void Common(TrainingOptions o, Settings s, Action<TrainingProgress> progress, MLRobust.Robustness.RobustnessMonitor? monitor)
    {
        o.Monitor = monitor;
        o.Seed = s.Seed;
        o.Progress = progress;
        o.ProgressInterval = 10;
        o.CheckpointDirectory = s.Checkpoint?.FullName;
        if (s.CheckpointEvery < 1) throw new UserErrorException("--checkpoint-every must be at least 1.");
        o.CheckpointInterval = s.CheckpointEvery;
    }

    private static ITransformer TrainDirect(MLContext ml, Settings s, IDataView train, Action<TrainingProgress> progress, MLRobust.Robustness.RobustnessMonitor? monitor)
    {
        var o = s.Kind == "direct-parameters" ? new DirectWithParametersTrainer.Options() : new DirectClassifierTrainer.Options();
        o.FeatureColumnName = SceneColumns.Image;
        o.NoneLabel = SceneColumns.NoneLabel;
        Common(o, s, progress, monitor);
        if (s.PaperSolvers)
        {
            o.UsePaperSolver();
            o.ReferenceInitialisation = true;
        }
        if (s.Iterations is { } n) o.Classifier.Iterations = n;
        if (s.BatchSize is { } b) o.Classifier.BatchSize = b;
        o.Adversarial = AdversarialOptions(s);
        return o is DirectWithParametersTrainer.Options p
            ? ml.MulticlassClassification.Trainers.DirectWithParameters(p).Fit(train)
            : ml.MulticlassClassification.Trainers.DirectClassifier(o).Fit(train);
    }

    private static ITransformer TrainTripleStaged(MLContext ml, Settings s, IDataView train, Action<TrainingProgress> progress, MLRobust.Robustness.RobustnessMonitor? monitor)
    {
        if (train.Schema.GetColumnOrNull(SceneColumns.CleanImage) is null)
            throw new UserErrorException("the triple-staged classifier trains its projector on clean renders: the data folder has no clean_file column (render it again with mlrobust render).");
        var o = new TripleStagedTrainer.Options { FeatureColumnName = SceneColumns.Image, NoneLabel = SceneColumns.NoneLabel, Threshold = s.Threshold };
        Common(o, s, progress, monitor);
        if (s.PaperSolvers)
        {
            o.UsePaperSolvers();
            o.ReferenceInitialisation = true;
        }
        if (s.Iterations is { } n) o.Estimator.Iterations = o.Projector.Iterations = o.Comparator.Iterations = n;
        if (s.EstimatorIterations is { } e) o.Estimator.Iterations = e;
        if (s.ProjectorIterations is { } p) o.Projector.Iterations = p;
        if (s.ComparatorIterations is { } c) o.Comparator.Iterations = c;
        if (s.BatchSize is { } b)
        {
            o.Estimator.BatchSize = o.Projector.BatchSize = b;
            o.Comparator.BatchSize = 8 * b;
        }
        return ml.MulticlassClassification.Trainers.TripleStaged(o).Fit(train);
    }

    /// <summary>The held-out error at each Θ, from one scoring pass (the transformer applies the same rule).</summary>
    internal static Dictionary<string, double> ErrorsByThreshold(TripleStagedTransformer model, IDataView test, IEnumerable<double> thresholds)
    {
        var scored = model.Transform(test);
        var label = scored.Schema[SceneColumns.Label];
        var similarity = scored.Schema[model.Columns.SimilarityScores];
        var rows = new List<(int label, float[] scores)>();
        using (var cursor = scored.GetRowCursor(label, similarity))
        {
            var readLabel = cursor.GetGetter<uint>(label);
            var readScores = cursor.GetGetter<VBuffer<float>>(similarity);
            uint l = 0;
            var buffer = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                readLabel(ref l);
                if (l == 0) continue;
                readScores(ref buffer);
                rows.Add(((int)l - 1, buffer.DenseValues().ToArray()));
            }
        }
        var result = new Dictionary<string, double>();
        foreach (var theta in thresholds.Distinct())
        {
            var errors = rows.Count(r => ClassDecision.Decide(r.scores, theta, model.Network.NoneClassIndex) != r.label);
            result[theta.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)] = rows.Count == 0 ? double.NaN : (double)errors / rows.Count;
        }
        return result;
    }

    private static Table ToTable(Metrics m)
    {
        var table = new Table().Title($"Trained {m.Model}").AddColumn("Metric").AddColumn("Value");
        void Row(string name, string value) => table.AddRow(new Text(name), new Text(value));
        Row("Model file", m.File);
        Row("Data", $"{m.TrainRows} training / {m.TestRows} test rows of {m.ImageSize}x{m.ImageSize}");
        Row("Training time", $"{m.TrainingSeconds:F0} s");
        if (m.AdversarialTraining is { } adversarial) Row("Adversarial training", adversarial);
        if (m.Robustness is { Count: > 0 } records)
            Row("Robustness index over training", string.Join("; ", records.Select(r => FormattableString.Invariant($"{r.Stage} {r.Iteration}: {r.Index:0.0000} (accuracy {r.CleanAccuracy:P0})"))));
        foreach (var (stage, loss) in m.FinalLosses) Row($"{stage} loss", loss.ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
        Row(m.Threshold is { } t ? $"Test error (Θ = {t:0.##})" : "Test error", $"{m.ErrorRate:P2}");
        Row("Macro accuracy", $"{m.MacroAccuracy:P2}");
        if (m.ErrorRateByThreshold is { } byTheta)
            foreach (var (theta, error) in byTheta) Row($"Test error at Θ = {theta}", $"{error:P2}");
        return table;
    }
}
