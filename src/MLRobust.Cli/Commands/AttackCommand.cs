using MLRobust.Rendering.Images;
using MLRobust.Rendering.DataViews;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MLRobust.Attacks;
using MLRobust.Cli.Hosting;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLRobust.Models;
using MLRobust.Trainers;
using Spectre.Console;

namespace MLRobust.Cli.Commands;

/// <summary>
/// <c>mlrobust attack --model FILE --data DIR --attack NAME [--epsilon E --step-size A --steps N --max-steps N]
/// [--target untargeted|next|least-likely|none|CLASS] [--until-flip] --out DIR [--json]</c>: attacks every image of a
/// class-per-folder data set (or a seeded sample of <c>--limit</c> images) against a saved direct or triple-staged
/// model, and writes the adversarial PNGs (out/images/CLASS/…), a per-sample CSV (attack.csv) and a summary
/// (summary.json: success rate, median and 2nd/98th percentiles of steps and distortion).
/// </summary>
internal static class AttackCommand
{
    private static readonly string[] s_attacks = { "fgsm", "iterative-fgsm", "bim", "mi-fgsm", "pgd", "pgd-l2", "deepfool", "cw-l2", "jsma", "one-pixel" };

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "The saved model (.zip) of a direct or triple-staged classifier.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "A folder with one sub-folder of images per class (names as the model's classes).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where to write images/, attack.csv and summary.json.", Required = true };
        var attack = new Option<string>("--attack") { Description = $"The attack: {string.Join(", ", s_attacks)}.", DefaultValueFactory = _ => "iterative-fgsm" };
        attack.AcceptOnlyFromAmong(s_attacks);
        var target = new Option<string?>("--target") { Description = "untargeted, next, least-likely, none, or a class name (default: next for iterative-fgsm and jsma, else untargeted)." };
        var untilFlip = new Option<bool>("--until-flip") { Description = "Stop each image at the first step that meets the goal (minimal perturbation)." };
        var epsilon = new Option<double?>("--epsilon") { Description = "Perturbation budget ε in the pixel range's units (default: the attack's)." };
        var stepSize = new Option<double?>("--step-size") { Description = "Step size in the pixel range's units (default: one grey level for FGSM iterations)." };
        var steps = new Option<int?>("--steps") { Description = "Iterations (BIM, MI-FGSM, PGD), binary-search steps (C&W), generations (one-pixel)." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Most steps of the until-flip attack (default 10000), DeepFool iterations, C&W iterations per search step." };
        var range = new Option<string>("--pixel-range") { Description = "The model's pixel range: unit ([0, 1]) or grey ([0, 255]).", DefaultValueFactory = _ => "unit" };
        range.AcceptOnlyFromAmong("unit", "grey");
        var limit = new Option<int?>("--limit") { Description = "Attack a seeded random sample of this many images." };
        var batch = new Option<int>("--batch-size") { Description = "Images attacked together.", DefaultValueFactory = _ => 32 };
        var seed = new Option<int>("--seed") { Description = "Seeds sampling and the attacks' random choices.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON, for scripts." };
        // The attacks' own options (defaults as the options classes have them).
        var noRandomStart = new Option<bool>("--no-random-start") { Description = "PGD: start at the clean image instead of a uniform random point of the ε-ball." };
        var decay = new Option<double>("--decay") { Description = "MI-FGSM: momentum decay μ.", DefaultValueFactory = _ => new MiFgsmOptions().Decay };
        var overshoot = new Option<double>("--overshoot") { Description = "DeepFool: overshoot η applied to the total perturbation.", DefaultValueFactory = _ => new DeepFoolOptions().Overshoot };
        var candidates = new Option<int>("--candidates") { Description = "DeepFool: candidate classes (top-k of the clean evidence).", DefaultValueFactory = _ => new DeepFoolOptions().Candidates };
        var initialConstant = new Option<double>("--initial-constant") { Description = "C&W: the trade-off constant c of the first binary-search step.", DefaultValueFactory = _ => new CarliniWagnerL2Options().InitialConstant };
        var learningRate = new Option<double>("--learning-rate") { Description = "C&W: Adam's learning rate.", DefaultValueFactory = _ => new CarliniWagnerL2Options().LearningRate };
        var confidence = new Option<double>("--confidence") { Description = "C&W: the margin κ the goal logit must win by.", DefaultValueFactory = _ => new CarliniWagnerL2Options().Confidence };
        var noAbortEarly = new Option<bool>("--no-abort-early") { Description = "C&W: run every iteration of each search step instead of stopping when the loss stalls." };
        var theta = new Option<double>("--theta") { Description = "JSMA: change of a chosen pixel as a fraction of the range width.", DefaultValueFactory = _ => new JsmaOptions().Theta };
        var gamma = new Option<double>("--gamma") { Description = "JSMA: largest fraction of pixels it may change.", DefaultValueFactory = _ => new JsmaOptions().Gamma };
        var pixels = new Option<int>("--pixels") { Description = "One-pixel: pixels changed per image.", DefaultValueFactory = _ => new OnePixelOptions().Pixels };
        var population = new Option<int>("--population") { Description = "One-pixel: differential-evolution population.", DefaultValueFactory = _ => new OnePixelOptions().Population };
        var differentialWeight = new Option<double>("--differential-weight") { Description = "One-pixel: differential-evolution weight F.", DefaultValueFactory = _ => new OnePixelOptions().DifferentialWeight };
        var noExtraStep = new Option<bool>("--no-extra-step") { Description = "Minimal attacks (DeepFool, C&W, FGSM --until-flip, iterative-fgsm): round to the nearest grey level even where that undoes the success, instead of adding the least extra step that keeps the written PNG adversarial." };
        var command = new Command("attack", "Attack the images of a data folder against a saved model; write adversarial PNGs, a per-sample CSV and a summary. Success, steps and metrics describe the written 8-bit PNGs.")
        {
            model, data, output, attack, target, untilFlip, epsilon, stepSize, steps, maxSteps, range, limit, batch, seed, json,
            noRandomStart, decay, overshoot, candidates, initialConstant, learningRate, confidence, noAbortEarly, theta, gamma, pixels, population, differentialWeight,
            noExtraStep,
        };
        command.SetAction(parseResult =>
        {
            var settings = new Settings(
                parseResult.GetValue(model)!, parseResult.GetValue(data)!, parseResult.GetValue(output)!, parseResult.GetValue(attack)!,
                parseResult.GetValue(target), parseResult.GetValue(untilFlip), parseResult.GetValue(epsilon), parseResult.GetValue(stepSize),
                parseResult.GetValue(steps), parseResult.GetValue(maxSteps), parseResult.GetValue(range) == "grey" ? InputRange.Grey : InputRange.Unit,
                parseResult.GetValue(limit), parseResult.GetValue(batch), parseResult.GetValue(seed),
                new MethodSettings(!parseResult.GetValue(noRandomStart), parseResult.GetValue(decay), parseResult.GetValue(overshoot), parseResult.GetValue(candidates),
                    parseResult.GetValue(initialConstant), parseResult.GetValue(learningRate), parseResult.GetValue(confidence), !parseResult.GetValue(noAbortEarly),
                    parseResult.GetValue(theta), parseResult.GetValue(gamma), parseResult.GetValue(pixels), parseResult.GetValue(population),
                    parseResult.GetValue(differentialWeight), !parseResult.GetValue(noExtraStep)));
            var summary = Run(settings);
            var writer = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json)) writer.WriteLine(JsonSerializer.Serialize(summary, s_json));
            else Terminal.For(writer).Write(ToTable(summary));
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed record Settings(FileInfo Model, DirectoryInfo Data, DirectoryInfo Output, string Attack, string? Target, bool UntilFlip,
        double? Epsilon, double? StepSize, int? Steps, int? MaxSteps, InputRange Range, int? Limit, int BatchSize, int Seed, MethodSettings Method);

    /// <summary>The options of individual attacks.</summary>
    private sealed record MethodSettings(bool RandomStart, double Decay, double Overshoot, int Candidates, double InitialConstant, double LearningRate,
        double Confidence, bool AbortEarly, double Theta, double Gamma, int Pixels, int Population, double DifferentialWeight, bool EnsureRoundedSuccess);

    /// <summary>What the results describe: the written PNGs, rounded to 8 bits.</summary>
    internal const string Precision = "8-bit";

    /// <summary>The JSON summary.</summary>
    internal sealed record Summary(string Attack, string Target, int Count, int Succeeded, double SuccessRate, Spread? Steps, Spread? Distortion, string Csv, string Images,
        string Precision = AttackCommand.Precision);

    /// <summary>Median and 2nd/98th percentiles (linear interpolation) over the successful samples.</summary>
    internal sealed record Spread(double Median, double P2, double P98);

    private sealed class SourceRow
    {
        public string ImagePath { get; set; } = "";
        public int ClassIndex { get; set; }
        public int TargetIndex { get; set; }
    }

    private static Summary Run(Settings s)
    {
        if (!s.Model.Exists) throw new FileNotFoundException($"Model file '{s.Model.FullName}' does not exist.");
        if (!s.Data.Exists) throw new DirectoryNotFoundException($"Data folder '{s.Data.FullName}' does not exist.");
        if (s.BatchSize < 1) throw new UserErrorException("--batch-size must be at least 1.");
        if (s.Limit is < 1) throw new UserErrorException("--limit must be at least 1.");

        var ml = new MLContext(s.Seed);
        ml.ComponentCatalog.RegisterMLRobust();
        var loaded = ml.Model.Load(s.Model.FullName, out _);
        try
        {
            var (classifier, classes, size) = FindClassifier(loaded, s.Model.FullName);
            var target = AttackTarget.From(classifier);
            var options = AttackOptionsFor(s, classes);
            var rows = Rows(ml, s, classes, options.Target == TargetSelection.Given);
            var data = ml.Data.LoadFromEnumerable(rows);
            if (s.Limit is { } n && n < rows.Length) data = ml.Data.TakeRows(ml.Data.ShuffleRows(data, s.Seed), n);
            var scale = (float)(s.Range.Width / 255.0);
            var pipeline = ml.Transforms.LoadImages("Image", null, "ImagePath")
                .Append(ml.Transforms.ResizeImages("Image", (int)size, (int)size))
                .Append(ml.Transforms.ConvertToGrayscale("Image"))
                .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, offsetImage: -s.Range.Min / scale, scaleImage: scale))
                .Append(ml.Transforms.Adversarial.Attack(Attack.Create(target, options), "Adversarial", "Features", new AdversarialTransformOptions
                {
                    LabelColumnName = nameof(SourceRow.ClassIndex),
                    TargetColumnName = options.Target == TargetSelection.Given ? nameof(SourceRow.TargetIndex) : null,
                    BatchSize = s.BatchSize,
                }));
            var attacked = pipeline.Fit(data).Transform(data);
            return Write(attacked, s, classes, size, options);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    private static (IDifferentiableClassifier Classifier, ClassLabels Classes, long Size) FindClassifier(ITransformer model, string path)
    {
        var parts = model is IEnumerable<ITransformer> chain ? chain.ToArray() : new[] { model };
        foreach (var part in parts)
        {
            if (part is DirectClassifierTransformer direct) return (direct.Classifier, direct.Classes, direct.ImageSize);
            if (part is TripleStagedTransformer staged) return (staged.Classifier, staged.Classes, staged.ImageSize);
        }
        throw new UserErrorException($"Model file '{path}' holds no direct or triple-staged classifier to attack.");
    }

    private static AttackOptions AttackOptionsFor(Settings s, ClassLabels classes)
    {
        var m = s.Method;
        var selection = s.Target?.ToLowerInvariant() switch
        {
            null => s.Attack is "iterative-fgsm" or "jsma" ? TargetSelection.NextClass : TargetSelection.Untargeted,
            "untargeted" => TargetSelection.Untargeted,
            "next" => TargetSelection.NextClass,
            "least-likely" => TargetSelection.LeastLikely,
            "none" when classes.NoneClassIndex >= 0 => TargetSelection.None,
            _ when ClassIndex(classes, s.Target!) >= 0 => TargetSelection.Given,
            _ => throw new UserErrorException($"--target '{s.Target}' is neither untargeted, next, least-likely, none (if the model has a None class) nor one of the classes {string.Join(", ", classes.Names)}."),
        };
        AttackOptions options = s.Attack switch
        {
            "fgsm" => new FgsmOptions { Epsilon = s.Epsilon, Minimal = s.UntilFlip, EpsilonStep = s.StepSize },
            "iterative-fgsm" => new IterativeFgsmOptions { StepSize = s.StepSize, MaxSteps = s.MaxSteps ?? 10_000 },
            "bim" => new BimOptions { Epsilon = s.Epsilon, StepSize = s.StepSize, Steps = s.Steps, EarlyStop = s.UntilFlip },
            "mi-fgsm" => new MiFgsmOptions { Epsilon = s.Epsilon, StepSize = s.StepSize, Steps = s.Steps ?? 10, EarlyStop = s.UntilFlip, Decay = m.Decay },
            "pgd" => new PgdOptions { Epsilon = s.Epsilon, StepSize = s.StepSize, Steps = s.Steps ?? 10, EarlyStop = s.UntilFlip, RandomStart = m.RandomStart },
            "pgd-l2" => new PgdOptions { Norm = PgdNorm.L2, Epsilon = s.Epsilon, StepSize = s.StepSize, Steps = s.Steps ?? 10, EarlyStop = s.UntilFlip, RandomStart = m.RandomStart },
            "deepfool" => new DeepFoolOptions { MaxIterations = s.MaxSteps ?? 50, Overshoot = m.Overshoot, Candidates = m.Candidates },
            "cw-l2" => new CarliniWagnerL2Options
            {
                BinarySearchSteps = s.Steps ?? 9, MaxIterations = s.MaxSteps ?? 1000, InitialConstant = m.InitialConstant, LearningRate = m.LearningRate,
                Confidence = m.Confidence, AbortEarly = m.AbortEarly,
            },
            "jsma" => new JsmaOptions { Theta = m.Theta, Gamma = m.Gamma },
            "one-pixel" => new OnePixelOptions { Generations = s.Steps ?? 100, Pixels = m.Pixels, Population = m.Population, DifferentialWeight = m.DifferentialWeight },
            _ => throw new UserErrorException($"Unknown attack '{s.Attack}'."),
        };
        if (s.Attack == "jsma" && selection == TargetSelection.Untargeted)
            throw new UserErrorException("JSMA is targeted: give --target next, least-likely, none or a class name.");
        options.Range = s.Range;
        options.Target = selection;
        options.Seed = s.Seed;
        // The PNGs hold 8 bits: success, steps and metrics are measured on the images as written.
        options.Precision = AttackPrecision.GreyLevels8;
        options.EnsureRoundedSuccess = m.EnsureRoundedSuccess;
        try
        {
            _ = Attack.Create(new ValidationTarget(classes.Count), options);
        }
        catch (ArgumentException e)
        {
            throw new UserErrorException($"--attack {s.Attack}: {e.Message}");
        }
        return options;
    }

    private static int ClassIndex(ClassLabels classes, string name)
    {
        for (var i = 0; i < classes.Count; i++)
            if (string.Equals(classes.Names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }

    private static SourceRow[] Rows(MLContext ml, Settings s, ClassLabels classes, bool givenTarget)
    {
        var folder = ml.Data.LoadFromImageFolder(s.Data.FullName);
        var paths = folder.Schema["ImagePath"];
        var labels = folder.Schema["Label"];
        var targetIndex = givenTarget ? ClassIndex(classes, s.Target!) : 0;
        var rows = new List<SourceRow>();
        using (var cursor = folder.GetRowCursor(folder.Schema))
        {
            var path = cursor.GetGetter<ReadOnlyMemory<char>>(paths);
            var label = cursor.GetGetter<ReadOnlyMemory<char>>(labels);
            ReadOnlyMemory<char> p = default, l = default;
            while (cursor.MoveNext())
            {
                path(ref p);
                label(ref l);
                var index = ClassIndex(classes, l.ToString());
                if (index < 0)
                    throw new UserErrorException($"Data folder '{s.Data.FullName}' has a class folder '{l}' that the model does not know; its classes are {string.Join(", ", classes.Names)}.");
                rows.Add(new SourceRow { ImagePath = p.ToString(), ClassIndex = index, TargetIndex = targetIndex });
            }
        }
        if (rows.Count == 0) throw new UserErrorException($"Data folder '{s.Data.FullName}' holds no PNG or JPEG images in class sub-folders.");
        return rows.ToArray();
    }

    private static Summary Write(IDataView attacked, Settings s, ClassLabels classes, long size, AttackOptions options)
    {
        var outDir = Directory.CreateDirectory(s.Output.FullName);
        var imagesDir = Path.Combine(outDir.FullName, "images");
        var schema = attacked.Schema;
        // Every number describes the written PNG (8-bit); the precision column says so row by row.
        var csv = new StringBuilder("file,source_label,target,prediction,success,steps,distortion,mae,ssim,l0,l2,linf,precision\n");
        var successSteps = new List<double>();
        var successDistortion = new List<double>();
        var count = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (var cursor = attacked.GetRowCursor(schema))
        {
            var path = cursor.GetGetter<ReadOnlyMemory<char>>(schema[nameof(SourceRow.ImagePath)]);
            var label = cursor.GetGetter<int>(schema[nameof(SourceRow.ClassIndex)]);
            var image = cursor.GetGetter<VBuffer<float>>(schema["Adversarial"]);
            var success = cursor.GetGetter<bool>(schema[AdversarialColumnNames.Success]);
            var steps = cursor.GetGetter<int>(schema[AdversarialColumnNames.Steps]);
            var target = cursor.GetGetter<uint>(schema[AdversarialColumnNames.Target]);
            var prediction = cursor.GetGetter<uint>(schema[AdversarialColumnNames.AdversarialPrediction]);
            var metrics = new[] { AdversarialColumnNames.Distortion, AdversarialColumnNames.Mae, AdversarialColumnNames.Ssim, AdversarialColumnNames.L0, AdversarialColumnNames.L2, AdversarialColumnNames.LInf }
                .Select(m => cursor.GetGetter<float>(schema[m])).ToArray();
            ReadOnlyMemory<char> p = default; int l = 0; bool ok = false; int k = 0; uint t = 0, pred = 0; float value = 0;
            var pixels = default(VBuffer<float>);
            while (cursor.MoveNext())
            {
                path(ref p); label(ref l); image(ref pixels); success(ref ok); steps(ref k); target(ref t); prediction(ref pred);
                var className = classes.Names[l];
                var file = UniqueName(names, className, Path.GetFileNameWithoutExtension(p.ToString()));
                SavePng(Path.Combine(imagesDir, className, file), pixels, (int)size, s.Range);
                var values = metrics.Select(m => { m(ref value); return value; }).ToArray();
                csv.Append(string.Join(",", Csv(Path.Combine("images", className, file)), Csv(className), Csv(t == 0 ? "" : classes.Names[(int)t - 1]),
                    Csv(classes.Names[(int)pred - 1]), ok ? "true" : "false", k.ToString(CultureInfo.InvariantCulture),
                    string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))), Precision)).Append('\n');
                if (ok)
                {
                    successSteps.Add(k);
                    successDistortion.Add(values[0]);
                }
                count++;
            }
        }
        var csvPath = Path.Combine(outDir.FullName, "attack.csv");
        WriteAtomically(csvPath, Encoding.UTF8.GetBytes(csv.ToString()));
        var targetName = options.Target switch
        {
            TargetSelection.Given => s.Target!,
            TargetSelection.NextClass => "next",
            TargetSelection.LeastLikely => "least-likely",
            TargetSelection.None => "none",
            _ => "untargeted",
        };
        var summary = new Summary(s.Attack, targetName, count, successSteps.Count, count == 0 ? 0 : successSteps.Count / (double)count,
            Percentiles(successSteps), Percentiles(successDistortion), csvPath, imagesDir);
        WriteAtomically(Path.Combine(outDir.FullName, "summary.json"), JsonSerializer.SerializeToUtf8Bytes(summary, s_json));
        return summary;
    }

    private static string UniqueName(HashSet<string> used, string className, string stem)
    {
        var name = stem + ".png";
        for (var i = 2; !used.Add(className + "/" + name); i++) name = $"{stem}_{i}.png";
        return name;
    }

    private static void SavePng(string path, VBuffer<float> pixels, int size, InputRange range)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[size * size];
        var values = pixels.DenseValues().ToArray();
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)Math.Clamp(Math.Round((values[i] - range.Min) / range.Width * 255), 0, 255);
        ImageFiles.SaveGreyPng(path, size, size, bytes);
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = path + ".tmp-" + Environment.ProcessId;
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    private static string Csv(string value) => value.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    internal static Spread? Percentiles(List<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.OrderBy(v => v).ToArray();
        double At(double q)
        {
            var position = q * (sorted.Length - 1);
            var lo = (int)Math.Floor(position);
            var hi = Math.Min(lo + 1, sorted.Length - 1);
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - lo);
        }
        return new Spread(At(0.5), At(0.02), At(0.98));
    }

    private static Table ToTable(Summary s)
    {
        var table = new Table().Title($"mlrobust attack: {s.Attack} ({s.Target})").AddColumn("Measure").AddColumn("Value");
        void Row(string name, string value) => table.AddRow(new Text(name), new Text(value));
        string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        Row("images", s.Count.ToString(CultureInfo.InvariantCulture));
        Row("success rate", $"{F(s.SuccessRate * 100)}% ({s.Succeeded})");
        if (s.Steps is { } st) Row("steps (median, 2%-98%)", $"{F(st.Median)} ({F(st.P2)} - {F(st.P98)})");
        if (s.Distortion is { } d) Row("distortion (median, 2%-98%)", $"{F(d.Median)} ({F(d.P2)} - {F(d.P98)})");
        Row("measured on", $"the written {s.Precision} PNGs");
        Row("per-sample CSV", s.Csv);
        Row("adversarial images", s.Images);
        return table;
    }

    /// <summary>A stand-in model for checking attack options before anything is loaded or attacked.</summary>
    private sealed class ValidationTarget(int classes) : IAttackTarget
    {
        public int ClassCount { get; } = classes;
        public int? NoneClass => null;
        public TorchSharp.torch.Tensor Forward(TorchSharp.torch.Tensor images) => throw new InvalidOperationException("validation only");
        public TorchSharp.torch.Tensor Evidence(TorchSharp.torch.Tensor outputs) => throw new InvalidOperationException("validation only");
        public TorchSharp.torch.Tensor Loss(TorchSharp.torch.Tensor outputs, TorchSharp.torch.Tensor labels) => throw new InvalidOperationException("validation only");
    }
}
