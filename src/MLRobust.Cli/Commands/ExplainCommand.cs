using System.CommandLine;
using System.Text.Json;
using MLRobust.Attacks;
using MLRobust.Cli.Hosting;
using MLRobust.Explanations;
using MLRobust.Robustness;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLRobust.Cli.Commands;

/// <summary>
/// <c>mlrobust explain --model FILE --data DIR --out DIR [--method lime|gradient|smoothgrad|ig] [--rows N] [--seed S] [--json]</c>:
/// explains a saved model's decisions on the first rows of a data folder, one overlay PNG per image (grey image, red = evidence for
/// the predicted class, blue = against), plus explanations.json listing each row's class, prediction and file.
/// </summary>
internal static class ExplainCommand
{
    internal static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The saved model (.zip) of a direct or triple-staged classifier.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "A rendered folder (manifest.csv) or a folder of class sub-folders of images.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the overlay PNGs and explanations.json.", Required = true };
        var method = new Option<string>("--method") { Description = "lime (quickshift superpixels, 150 samples), gradient, smoothgrad or ig (integrated gradients).", DefaultValueFactory = _ => "lime" };
        method.AcceptOnlyFromAmong("lime", "gradient", "smoothgrad", "ig");
        var rows = new Option<int>("--rows") { Description = "Rows explained, from the start of the folder.", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seeds LIME's samples and SmoothGrad's noise.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the list of explanations as JSON." };
        var command = new Command("explain", "Explain a saved model's decisions on images: LIME or gradient saliency overlays.")
        {
            model, data, output, method, rows, seed, json,
        };
        command.SetAction(parseResult =>
        {
            var count = parseResult.GetValue(rows);
            if (count < 1) throw new UserErrorException("--rows must be at least 1.");
            var written = Run(parseResult.GetValue(model)!, parseResult.GetValue(data)!, parseResult.GetValue(output)!.FullName, parseResult.GetValue(method)!, count, parseResult.GetValue(seed));
            var writer = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json)) writer.WriteLine(JsonSerializer.Serialize(written, ReportCommand.Json));
            else foreach (var e in written) writer.WriteLine($"row {e.Row}: {e.Label} → {e.Predicted}: {e.File}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One explained row.</summary>
    internal sealed record ExplainedRow(long Row, string Label, string Predicted, string Method, string File);

    internal static IReadOnlyList<ExplainedRow> Run(FileInfo modelFile, DirectoryInfo folder, string outputFolder, string method, int rows, int seed)
    {
        if (!modelFile.Exists) throw new FileNotFoundException($"Model file '{modelFile.FullName}' does not exist.");
        if (!folder.Exists) throw new DirectoryNotFoundException($"Data folder '{folder.FullName}' does not exist.");
        var ml = new MLContext(seed);
        ml.ComponentCatalog.RegisterMLRobust();
        var loaded = ml.Model.Load(modelFile.FullName, out _);
        try
        {
            var (classes, features, size, _, classifier) = EvaluateCommand.Describe(loaded, modelFile.FullName);
            using var images = LabelledImages.Read(EvaluateCommand.Load(ml, folder.FullName, classes, features, size), features, "Label", rows);
            var target = AttackTarget.From(classifier);
            Explainer explainer = method == "lime"
                ? new Lime(target, new LimeOptions { Seed = seed })
                : new Saliency(target, new SaliencyOptions
                {
                    Seed = seed,
                    Method = method switch { "gradient" => SaliencyMethod.Gradient, "smoothgrad" => SaliencyMethod.SmoothGrad, _ => SaliencyMethod.IntegratedGradients },
                });
            var explanation = explainer.Explain(images.Images, sampleIds: images.Rows);
            Directory.CreateDirectory(outputFolder);
            var written = new List<ExplainedRow>();
            var pixels = images.Images.reshape(images.Count, -1).data<float>().ToArray();
            var length = size * size;
            for (var i = 0; i < images.Count; i++)
            {
                var path = Path.Combine(outputFolder, $"explain-row{images.Rows[i]}-{method}.png");
                var outline = explanation is LimeExplanation lime ? lime.TopMask(i) : null;
                ExplanationImage.SavePng(path, pixels.AsSpan(i * length, length), size, size, explanation.HeatMaps[i], new ExplanationImageOptions { Outline = outline });
                written.Add(new ExplainedRow(images.Rows[i], classes.Names[(int)images.Labels[i]], classes.Names[(int)explanation.Classes[i]], method, path));
            }
            MLRobust.Rendering.AtomicWrite.WriteAllBytes(Path.Combine(outputFolder, "explanations.json"), JsonSerializer.SerializeToUtf8Bytes(written, ReportCommand.Json));
            return written;
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
}
