using MLRobust.Rendering.DataViews;
using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MLRobust.Cli.Hosting;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLRobust.Rendering.Scenes;
using MLRobust.Trainers;
using MLRobust.Reporting;
using MLRobust.Robustness;
using Spectre.Console;

namespace MLRobust.Cli.Commands;

/// <summary>
/// <c>mlrobust evaluate --model FILE --data DIR [--threshold Θ ...] [--json]</c>: scores a saved direct or triple-staged model on a
/// rendered folder (manifest.csv, as <c>mlrobust render</c> writes) or on a folder with one sub-folder of images per class, and
/// reports accuracy, error, macro accuracy, per-class recall and the confusion table; a triple-staged model is scored at each Θ
/// given (default: its own).
/// </summary>
internal static class EvaluateCommand
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    internal static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The saved model (.zip) of a direct or triple-staged classifier.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "A rendered folder (manifest.csv) or a folder of class sub-folders of images.", Required = true };
        var thresholds = new Option<double[]>("--threshold") { Description = "Θ values to score a triple-staged model at (repeatable; default: the model's).", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON, for scripts." };
        var robustness = new Option<bool>("--robustness") { Description = "Also measure robustness: the robustness index (targeted FGSM and interpolation), accuracy against ε (FGSM, PGD), random pixel changes and the Pixel-index." };
        var maxRows = new Option<int>("--max-rows") { Description = "Rows the robustness suite reads (in order).", DefaultValueFactory = _ => 200 };
        var imagesPerClass = new Option<int>("--images-per-class") { Description = "Correctly classified images per class for the robustness index (the paper: 10).", DefaultValueFactory = _ => 10 };
        var maxSteps = new Option<int>("--max-steps") { Description = "Steps after which a targeted FGSM gives up (the paper: 10,000).", DefaultValueFactory = _ => 1000 };
        var epsilons = new Option<double[]>("--epsilon") { Description = "ε values for the accuracy curves, in grey levels (repeatable; default 0 1 2 4 8 16 32).", AllowMultipleArgumentsPerToken = true };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for robustness.json and the robustness charts (SVG)." };
        var command = new Command("evaluate", "Score a saved model on a data folder: accuracy, error, per-class recall and the confusion table; with --robustness, the robustness suite.")
        {
            model, data, thresholds, json, robustness, maxRows, imagesPerClass, maxSteps, epsilons, output,
        };
        command.SetAction(parseResult =>
        {
            RobustnessRequest? request = null;
            if (parseResult.GetValue(robustness))
            {
                request = new RobustnessRequest(parseResult.GetValue(maxRows), parseResult.GetValue(imagesPerClass), parseResult.GetValue(maxSteps),
                    parseResult.GetValue(epsilons) is { Length: > 0 } e ? e : new double[] { 0, 1, 2, 4, 8, 16, 32 }, parseResult.GetValue(output)?.FullName);
                request.Validate();
            }
            else if (parseResult.GetValue(output) is not null) throw new UserErrorException("--out holds the robustness results: add --robustness.");
            var results = Run(parseResult.GetValue(model)!, parseResult.GetValue(data)!, parseResult.GetValue(thresholds) ?? Array.Empty<double>(), request);
            var writer = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json)) writer.WriteLine(JsonSerializer.Serialize(results, s_json));
            else
            {
                var console = Terminal.For(writer);
                foreach (var r in results.Results)
                {
                    console.Write(ToTable(results, r));
                    writer.WriteLine(r.ConfusionTable);
                }
                if (results.Robustness is { } summary) console.Write(RobustnessTable(summary));
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The JSON result: one entry per Θ (one entry for a direct model).</summary>
    internal sealed record Evaluation(string Model, string Data, int Rows, string[] Classes, IReadOnlyList<Result> Results)
    {
        /// <summary>The robustness suite (with --robustness), at the first Θ for a triple-staged model.</summary>
        public RobustnessSummary? Robustness { get; init; }
    }

    /// <summary>What --robustness asks for.</summary>
    internal sealed record RobustnessRequest(int MaxRows, int ImagesPerClass, int MaxSteps, double[] EpsilonGreyLevels, string? OutputFolder)
    {
        internal void Validate()
        {
            if (MaxRows < 1) throw new UserErrorException("--max-rows must be at least 1.");
            if (ImagesPerClass < 1) throw new UserErrorException("--images-per-class must be at least 1.");
            if (MaxSteps < 1) throw new UserErrorException("--max-steps must be at least 1.");
            if (EpsilonGreyLevels.Any(e => !(e >= 0 && e <= 255))) throw new UserErrorException("--epsilon values are grey levels in [0, 255].");
        }

        internal RobustnessEvaluationOptions Options(string features) => new()
        {
            FeatureColumnName = features, MaxRows = MaxRows,
            Index = new RobustnessIndexOptions { ImagesPerClass = ImagesPerClass, MaxSteps = MaxSteps },
            Epsilon = new EpsilonSweepOptions { EpsilonGreyLevels = EpsilonGreyLevels },
        };
    }

    internal sealed record Result(double? Threshold, double Accuracy, double ErrorRate, double MacroAccuracy, double? LogLoss,
        IReadOnlyDictionary<string, double> Recall, string ConfusionTable);

    internal static Evaluation Run(FileInfo modelFile, DirectoryInfo folder, double[] thresholds, RobustnessRequest? robustness = null)
    {
        if (!modelFile.Exists) throw new FileNotFoundException($"Model file '{modelFile.FullName}' does not exist.");
        if (!folder.Exists) throw new DirectoryNotFoundException($"Data folder '{folder.FullName}' does not exist.");
        if (thresholds.Any(t => !(t >= 0 && t <= 1))) throw new UserErrorException("--threshold values must be in [0, 1].");
        var ml = new MLContext(1);
        ml.ComponentCatalog.RegisterMLRobust();
        var loaded = ml.Model.Load(modelFile.FullName, out _);
        try
        {
            var (classes, features, size, triple, _) = Describe(loaded, modelFile.FullName);
            if (triple is null && thresholds.Length > 0) throw new UserErrorException("--threshold applies to triple-staged models only.");
            var data = ml.Data.Cache(Load(ml, folder.FullName, classes, features, size));
            var rows = (int)data.CountRows();
            if (rows == 0) throw new UserErrorException($"Data folder '{folder.FullName}' holds no rows.");
            var results = new List<Result>();
            foreach (var theta in triple is null ? new double?[] { null } : (thresholds.Length > 0 ? thresholds : new[] { triple.Threshold }).Select(t => (double?)t))
            {
                if (triple is not null) triple.Threshold = theta!.Value;
                var m = ml.MulticlassClassification.Evaluate(loaded.Transform(data));
                var recall = classes.Names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => m.ConfusionMatrix.PerClassRecall[x.i]);
                results.Add(new Result(theta, m.MicroAccuracy, 1 - m.MicroAccuracy, m.MacroAccuracy, triple is null ? m.LogLoss : null, recall,
                    m.ConfusionMatrix.GetFormattedConfusionTable()));
            }
            var evaluation = new Evaluation(modelFile.FullName, folder.FullName, rows, classes.Names.ToArray(), results);
            if (robustness is null) return evaluation;
            if (triple is not null) triple.Threshold = results[0].Threshold!.Value;
            var summary = ml.MulticlassClassification.EvaluateRobustness(loaded, data, robustness.Options(features)).Summary with { Model = Path.GetFileName(modelFile.FullName) };
            if (robustness.OutputFolder is { } output) SaveRobustness(summary, output);
            return evaluation with { Robustness = summary };
        }
        catch (InvalidDataException e)
        {
            throw new UserErrorException(e.Message, e);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    /// <summary>robustness.json and the charts of the suite, in <paramref name="folder"/> (created when missing).</summary>
    private static void SaveRobustness(RobustnessSummary summary, string folder)
    {
        Directory.CreateDirectory(folder);
        var json = JsonSerializer.Serialize(summary, ReportCommand.Json);
        MLRobust.Rendering.AtomicWrite.WriteAllBytes(Path.Combine(folder, "robustness.json"), System.Text.Encoding.UTF8.GetBytes(json));
        RobustnessCharts.AccuracyAgainstEpsilon(new[] { summary }).Save(Path.Combine(folder, "accuracy-vs-epsilon.svg"));
        if (summary.Index is not null)
        {
            RobustnessCharts.FgsmMae(summary).Save(Path.Combine(folder, "fgsm-mae.svg"));
            RobustnessCharts.SwitchThreshold(summary).Save(Path.Combine(folder, "switch-threshold.svg"));
            RobustnessCharts.PopUpRate(summary).Save(Path.Combine(folder, "pop-up-rate.svg"));
        }
        if (summary.PixelChanges is not null) RobustnessCharts.PixelChanges(summary, PixelSensitivityOptions.WholeImage).Save(Path.Combine(folder, "pixel-changes.svg"));
    }

    private static Table RobustnessTable(RobustnessSummary s)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().Title($"Robustness on {s.Rows} rows (clean accuracy {s.CleanAccuracy.ToString("P2", c)})").AddColumn("Measure").AddColumn("Value");
        void Row(string name, string value) => table.AddRow(new Text(name), new Text(value));
        if (s.Index is { } i)
        {
            Row("Robustness index", i.Index.ToString("0.0000", c));
            Row("Targeted FGSM: cases, flipped", $"{i.FgsmCases}, {i.FgsmSuccessRate.ToString("P0", c)}");
            Row("Targeted FGSM: mean MAE (grey levels), mean steps", $"{i.MeanFgsmMae.ToString("0.00", c)}, {i.MeanFgsmSteps.ToString("0.0", c)}");
            Row("Interpolation: cases, mean switch T, T(A→B) + T(B→A)", $"{i.InterpolationCases}, {i.MeanSwitchThreshold.ToString("0.000", c)}, {i.MeanThresholdSum.ToString("0.000", c)}");
            Row("Interpolation: pop-up rate", i.PopUpRate.ToString("0.000", c));
        }
        foreach (var curve in s.EpsilonCurves)
            Row($"{curve.Attack} accuracy at ε (grey levels)", string.Join(", ", curve.EpsilonGreyLevels.Zip(curve.Accuracy, (e, a) => $"{e.ToString("0.##", c)}: {a.ToString("P1", c)}")));
        if (s.PixelChanges is { } p)
            foreach (var setting in p.Settings.Where(x => x.AreaSide == PixelSensitivityOptions.WholeImage))
                Row($"{setting.Count} pixels, {(setting.Range == PixelSensitivityOptions.FullRange ? "any value" : $"±{setting.Range}")}: w, Pixel-index",
                    $"{setting.MisclassificationRate.ToString("P1", c)}, {setting.PixelIndex.ToString("0.00", c)}");
        if (s.Restore is { } r)
            foreach (var setting in r.Settings)
                Row($"FGSM ε {(r.Epsilon * 255).ToString("0.#", c)}/255 images restored by {setting.Count} random pixels", setting.RestoreRate.ToString("P1", c));
        return table;
    }

    internal static (ClassLabels Classes, string Features, int Size, TripleStagedTransformer? Triple, MLRobust.Models.IDifferentiableClassifier Classifier) Describe(ITransformer model, string path)
    {
        var parts = model is IEnumerable<ITransformer> chain ? chain.ToArray() : new[] { model };
        foreach (var part in parts)
        {
            if (part is DirectClassifierTransformer d) return (d.Classes, d.FeatureColumnName, (int)d.ImageSize, null, d.Classifier);
            if (part is TripleStagedTransformer t) return (t.Classes, t.Columns.Features, (int)t.ImageSize, t, t.Classifier);
        }
        throw new UserErrorException($"Model file '{path}' holds no direct or triple-staged classifier.");
    }

    /// <summary>The folder as rows with the model's feature column and a Label key over the model's classes.</summary>
    internal static IDataView Load(MLContext ml, string folder, ClassLabels classes, string features, int size)
    {
        if (File.Exists(Path.Combine(folder, SceneFolder.ManifestFile)))
        {
            IDataView rendered;
            try
            {
                rendered = ml.Data.LoadFromRenderedFolder(folder);
            }
            catch (InvalidDataException e)
            {
                throw new UserErrorException(e.Message, e);
            }
            var names = rendered.Schema[SceneColumns.Label].GetKeyValueNames() ?? Array.Empty<string>();
            if (!names.SequenceEqual(classes.Names))
                throw new UserErrorException($"The folder's labels [{string.Join(", ", names)}] are not the model's classes [{string.Join(", ", classes.Names)}].");
            var imageSize = (int)Math.Round(Math.Sqrt(rendered.Schema[SceneColumns.Image].Type.GetValueCount()));
            if (imageSize != size) throw new UserErrorException($"The folder's images are {imageSize}x{imageSize}; the model reads {size}x{size}.");
            return features == SceneColumns.Image ? rendered : ml.Transforms.CopyColumns(features, SceneColumns.Image).Fit(rendered).Transform(rendered);
        }

        var images = ml.Data.LoadFromImageFolder(folder);
        var rows = new List<ImageRow>();
        using (var cursor = images.GetRowCursor(images.Schema))
        {
            var path = cursor.GetGetter<ReadOnlyMemory<char>>(images.Schema["ImagePath"]);
            var label = cursor.GetGetter<ReadOnlyMemory<char>>(images.Schema["Label"]);
            ReadOnlyMemory<char> p = default, l = default;
            while (cursor.MoveNext())
            {
                path(ref p);
                label(ref l);
                var index = classes.Names.ToList().IndexOf(l.ToString());
                if (index < 0) throw new UserErrorException($"Class folder '{l}' is not one of the model's classes ({string.Join(", ", classes.Names)}).");
                // ML.NET reads a key property of a row object as the 0-based class index (key = index + 1).
                rows.Add(new ImageRow { ImagePath = p.ToString(), Label = (uint)index });
            }
        }
        var definition = SchemaDefinition.Create(typeof(ImageRow), SchemaDefinition.Direction.Read);
        definition["Label"].ColumnType = new KeyDataViewType(typeof(uint), classes.Count);
        var values = classes.Names.Select(n => n.AsMemory()).ToArray();
        definition["Label"].AddAnnotation(AnnotationExtensions.AnnotationKinds.KeyValues, new VBuffer<ReadOnlyMemory<char>>(values.Length, values),
            new VectorDataViewType(TextDataViewType.Instance, values.Length));
        var data = ml.Data.LoadFromEnumerable(rows, definition);
        var pipeline = ml.Transforms.LoadImages("LoadedImage", null, nameof(ImageRow.ImagePath))
            .Append(ml.Transforms.ResizeImages("LoadedImage", size, size))
            .Append(ml.Transforms.ConvertToGrayscale("LoadedImage"))
            .Append(ml.Transforms.ExtractPixels(features, "LoadedImage", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255));
        return pipeline.Fit(data).Transform(data);
    }

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
        public uint Label { get; set; }
    }

    private static Table ToTable(Evaluation e, Result r)
    {
        var c = CultureInfo.InvariantCulture;
        var table = new Table().Title(r.Threshold is { } t ? $"Θ = {t.ToString("0.##", c)}" : "Evaluation").AddColumn("Metric").AddColumn("Value");
        void Row(string name, string value) => table.AddRow(new Text(name), new Text(value));
        Row("Rows", e.Rows.ToString(c));
        Row("Accuracy", r.Accuracy.ToString("P2", c));
        Row("Error rate", r.ErrorRate.ToString("P2", c));
        Row("Macro accuracy", r.MacroAccuracy.ToString("P2", c));
        if (r.LogLoss is { } l) Row("Log-loss", l.ToString("G4", c));
        foreach (var (name, recall) in r.Recall) Row($"Recall of {name}", double.IsNaN(recall) ? "–" : recall.ToString("P2", c));
        return table;
    }
}
