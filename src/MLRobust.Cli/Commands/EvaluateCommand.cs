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
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The saved model (.zip) of a direct or triple-staged classifier.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "A rendered folder (manifest.csv) or a folder of class sub-folders of images.", Required = true };
        var thresholds = new Option<double[]>("--threshold") { Description = "Θ values to score a triple-staged model at (repeatable; default: the model's).", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON, for scripts." };
        var command = new Command("evaluate", "Score a saved model on a data folder: accuracy, error, per-class recall and the confusion table.")
        {
            model, data, thresholds, json,
        };
        command.SetAction(parseResult =>
        {
            var results = Run(parseResult.GetValue(model)!, parseResult.GetValue(data)!, parseResult.GetValue(thresholds) ?? Array.Empty<double>());
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
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The JSON result: one entry per Θ (one entry for a direct model).</summary>
    internal sealed record Evaluation(string Model, string Data, int Rows, string[] Classes, IReadOnlyList<Result> Results);

    internal sealed record Result(double? Threshold, double Accuracy, double ErrorRate, double MacroAccuracy, double? LogLoss,
        IReadOnlyDictionary<string, double> Recall, string ConfusionTable);

    internal static Evaluation Run(FileInfo modelFile, DirectoryInfo folder, double[] thresholds)
    {
        if (!modelFile.Exists) throw new FileNotFoundException($"Model file '{modelFile.FullName}' does not exist.");
        if (!folder.Exists) throw new DirectoryNotFoundException($"Data folder '{folder.FullName}' does not exist.");
        if (thresholds.Any(t => !(t >= 0 && t <= 1))) throw new UserErrorException("--threshold values must be in [0, 1].");
        var ml = new MLContext(1);
        ml.ComponentCatalog.RegisterMLRobust();
        var loaded = ml.Model.Load(modelFile.FullName, out _);
        try
        {
            var (classes, features, size, triple) = Describe(loaded, modelFile.FullName);
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
            return new Evaluation(modelFile.FullName, folder.FullName, rows, classes.Names.ToArray(), results);
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

    private static (ClassLabels Classes, string Features, int Size, TripleStagedTransformer? Triple) Describe(ITransformer model, string path)
    {
        var parts = model is IEnumerable<ITransformer> chain ? chain.ToArray() : new[] { model };
        foreach (var part in parts)
        {
            if (part is DirectClassifierTransformer d) return (d.Classes, d.FeatureColumnName, (int)d.ImageSize, null);
            if (part is TripleStagedTransformer t) return (t.Classes, t.Columns.Features, (int)t.ImageSize, t);
        }
        throw new UserErrorException($"Model file '{path}' holds no direct or triple-staged classifier.");
    }

    /// <summary>The folder as rows with the model's feature column and a Label key over the model's classes.</summary>
    private static IDataView Load(MLContext ml, string folder, ClassLabels classes, string features, int size)
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
