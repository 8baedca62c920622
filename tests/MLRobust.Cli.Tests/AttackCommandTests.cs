using MLRobust.Rendering.Images;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLRobust.Models;
using MLRobust.Trainers;
using MLRobust.Training;

namespace MLRobust.Cli.Tests;

/// <summary><c>mlrobust attack</c> and <c>mlrobust augment</c> on a small class-per-folder data set and a tiny
/// direct classifier trained here.</summary>
public sealed class AttackCommandTests : IClassFixture<AttackCommandTests.Fixture>
{
    private const int Size = 24;
    private readonly Fixture _fixture;

    public AttackCommandTests(Fixture fixture) => _fixture = fixture;

    /// <summary>Grey 24x24 PNGs: "disc" (a bright disc on noise) and "None" (noise), 6 each; and a direct classifier
    /// (tiny widths, a few SGD steps) saved to model.zip.</summary>
    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            Root = Directory.CreateTempSubdirectory("mlr-cli-attack-").FullName;
            Data = Path.Combine(Root, "data");
            var rng = new Random(3);
            foreach (var label in new[] { "disc", "None" })
            {
                Directory.CreateDirectory(Path.Combine(Data, label));
                for (var i = 0; i < 6; i++)
                {
                    var pixels = new byte[Size * Size];
                    for (var y = 0; y < Size; y++)
                        for (var x = 0; x < Size; x++)
                        {
                            var inside = label == "disc" && Math.Pow(y - 11.5, 2) + Math.Pow(x - 11.5, 2) < 49;
                            pixels[y * Size + x] = (byte)Math.Clamp((inside ? 200 : 60) + rng.Next(-30, 31), 0, 255);
                        }
                    ImageFiles.SaveGreyPng(Path.Combine(Data, label, $"img{i}.png"), Size, Size, pixels);
                }
            }
            var ml = new MLContext(seed: 1);
            var folder = ml.Data.LoadFromImageFolder(Data);
            var prepared = ml.Transforms.LoadImages("Image", null, "ImagePath")
                .Append(ml.Transforms.ResizeImages("Image", Size, Size))
                .Append(ml.Transforms.ConvertToGrayscale("Image"))
                .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f))
                .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
                .Fit(folder).Transform(folder);
            var options = new DirectClassifierTrainer.Options
            {
                Widths = new AlexNetSmallWidths(4, 4, 4, 4, 4, 16),
                Classifier = new StageOptions(60, 6, new SolverOptions { LearningRate = 0.01 }),
                Seed = 2,
            };
            var model = ml.MulticlassClassification.Trainers.DirectClassifier(options).Fit(prepared);
            Model = Path.Combine(Root, "model.zip");
            ml.Model.Save(model, prepared.Schema, Model);
            model.Dispose();
        }

        public string Root { get; }
        public string Data { get; }
        public string Model { get; }

        public void Dispose()
        {
            try { Directory.Delete(Root, true); } catch (IOException) { }
        }
    }

    private string Out(string name) => Path.Combine(_fixture.Root, name);

    [Fact]
    public void UntilFlipToNoneWritesImagesCsvAndSummary()
    {
        var run = CliRun.Of("attack", "--model", _fixture.Model, "--data", _fixture.Data, "--attack", "iterative-fgsm", "--target", "none",
            "--max-steps", "60", "--out", Out("flip"), "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal("iterative-fgsm", root.GetProperty("Attack").GetString());
        Assert.Equal("none", root.GetProperty("Target").GetString());
        Assert.Equal(12, root.GetProperty("Count").GetInt32());
        var succeeded = root.GetProperty("Succeeded").GetInt32();
        Assert.Equal(succeeded / 12.0, root.GetProperty("SuccessRate").GetDouble(), 12);

        var lines = File.ReadAllLines(Path.Combine(Out("flip"), "attack.csv"));
        Assert.Equal("file,source_label,target,prediction,success,steps,distortion,mae,ssim,l0,l2,linf,precision", lines[0]);
        Assert.Equal(13, lines.Length);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.All(rows, r => Assert.Equal("8-bit", r[12]));
        Assert.Equal("8-bit", root.GetProperty("Precision").GetString());
        Assert.All(rows, r => Assert.Equal("None", r[2]));
        Assert.Equal(succeeded, rows.Count(r => r[4] == "true"));
        // Images already None meet the goal at step 0, unchanged.
        Assert.All(rows.Where(r => r[1] == "None"), r => Assert.Equal("0", r[5]));
        Assert.All(rows.Where(r => r[4] == "true"), r => Assert.Equal("None", r[3]));
        foreach (var r in rows)
        {
            using var image = MLImage.CreateFromFile(Path.Combine(Out("flip"), r[0]));
            Assert.Equal((Size, Size), (image.Width, image.Height));
            var rgba = ImageFiles.Rgba(image);
            for (var p = 0; p < rgba.Length; p += 4) Assert.True(rgba[p] == rgba[p + 1] && rgba[p] == rgba[p + 2], "the adversarial PNG is greyscale");
            // One grey level a step: L∞ ≤ steps / 255.
            Assert.True(double.Parse(r[11], System.Globalization.CultureInfo.InvariantCulture) <= int.Parse(r[5]) / 255.0 + 1e-6);
        }
        Assert.True(File.Exists(Path.Combine(Out("flip"), "summary.json")));
        if (succeeded > 0)
        {
            var steps = root.GetProperty("Steps");
            Assert.True(steps.GetProperty("P2").GetDouble() <= steps.GetProperty("Median").GetDouble());
            Assert.True(steps.GetProperty("Median").GetDouble() <= steps.GetProperty("P98").GetDouble());
        }
    }

    /// <summary>For every attack, what attack.csv reports (prediction and success) is what the model says of the PNG files
    /// written: each is re-loaded and classified by the saved model, independently of the attack's own bookkeeping.</summary>
    [Theory]
    [InlineData("fgsm", "--epsilon", "0.1")]
    [InlineData("fgsm", "--until-flip", "--step-size", "0.02")]
    [InlineData("iterative-fgsm", "--max-steps", "80")]
    [InlineData("bim", "--epsilon", "0.1", "--steps", "10")]
    [InlineData("mi-fgsm", "--epsilon", "0.1", "--decay", "0.9")]
    [InlineData("pgd", "--epsilon", "0.1", "--no-random-start")]
    [InlineData("pgd-l2", "--epsilon", "2")]
    [InlineData("deepfool", "--overshoot", "0.02", "--candidates", "2")]
    [InlineData("cw-l2", "--steps", "3", "--max-steps", "60", "--initial-constant", "1", "--learning-rate", "0.05")]
    [InlineData("jsma", "--target", "next", "--gamma", "0.3")]
    [InlineData("one-pixel", "--steps", "5", "--population", "50", "--pixels", "3")]
    public void ReportedSuccessIsTheSuccessOfTheWrittenPngs(string attack, params string[] options)
    {
        var name = "png-" + attack + "-" + options.Length;
        var run = CliRun.Of(new[] { "attack", "--model", _fixture.Model, "--data", _fixture.Data, "--attack", attack, "--out", Out(name), "--json" }.Concat(options).ToArray());
        Assert.True(run.ExitCode == 0, run.Error);
        var rows = File.ReadAllLines(Path.Combine(Out(name), "attack.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(12, rows.Length);

        var ml = new MLContext(1);
        ml.ComponentCatalog.RegisterMLRobust();
        var model = ml.Model.Load(_fixture.Model, out _);
        var files = rows.Select(r => new PngRow { ImagePath = Path.Combine(Out(name), r[0]) }).ToArray();
        var data = ml.Data.LoadFromEnumerable(files);
        var features = ml.Transforms.LoadImages("Image", null, nameof(PngRow.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", Size, Size))
            .Append(ml.Transforms.ConvertToGrayscale("Image"))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1 / 255f))
            .Fit(data).Transform(data);
        var scored = model.Transform(features);
        var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
        var names = Assert.IsType<DirectClassifierTransformer>(model).Classes.Names;
        for (var i = 0; i < rows.Length; i++)
        {
            var prediction = names[(int)predicted[i] - 1];
            Assert.Equal(rows[i][3], prediction);
            var success = rows[i][2] == "" ? prediction != rows[i][1] : prediction == rows[i][2];
            Assert.Equal(rows[i][4] == "true", success);
        }
        (model as IDisposable)?.Dispose();
    }

    private sealed class PngRow
    {
        public string ImagePath { get; set; } = "";
    }

    [Fact]
    public void PgdOnASampleWithATable()
    {
        var run = CliRun.Of("attack", "--model", _fixture.Model, "--data", _fixture.Data, "--attack", "pgd", "--epsilon", "0.1", "--until-flip",
            "--limit", "5", "--out", Out("pgd"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("success rate", run.Output);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(Out("pgd"), "attack.csv")).Length);
    }

    [Fact]
    public void BadInputIsAUserError()
    {
        var unknownTarget = CliRun.Of("attack", "--model", _fixture.Model, "--data", _fixture.Data, "--target", "penguin", "--out", Out("bad"));
        Assert.Equal(1, unknownTarget.ExitCode);
        Assert.Contains("penguin", unknownTarget.Error);
        Assert.Contains("disc", unknownTarget.Error);
        var missingModel = CliRun.Of("attack", "--model", Out("nope.zip"), "--data", _fixture.Data, "--out", Out("bad"));
        Assert.Equal(1, missingModel.ExitCode);
        Assert.Contains("nope.zip", missingModel.Error);
        var unknownAttack = CliRun.Of("attack", "--model", _fixture.Model, "--data", _fixture.Data, "--attack", "magic", "--out", Out("bad"));
        Assert.Equal(1, unknownAttack.ExitCode);
        var strangeClass = Path.Combine(_fixture.Root, "strange");
        Directory.CreateDirectory(Path.Combine(strangeClass, "penguin"));
        File.Copy(Directory.GetFiles(Path.Combine(_fixture.Data, "disc"))[0], Path.Combine(strangeClass, "penguin", "a.png"), true);
        var unknownClass = CliRun.Of("attack", "--model", _fixture.Model, "--data", strangeClass, "--out", Out("bad"));
        Assert.Equal(1, unknownClass.ExitCode);
        Assert.Contains("'penguin'", unknownClass.Error);
    }

    [Fact]
    public void AugmentWritesPixelChangedCopies()
    {
        var run = CliRun.Of("augment", "--data", _fixture.Data, "--out", Out("aug"), "--count", "5", "--range", "20", "--area", "10", "--copies", "2", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(12, json.RootElement.GetProperty("Images").GetInt32());
        Assert.Equal(24, json.RootElement.GetProperty("Written").GetInt32());
        foreach (var label in new[] { "disc", "None" })
            for (var i = 0; i < 6; i++)
            {
                using var original = MLImage.CreateFromFile(Path.Combine(_fixture.Data, label, $"img{i}.png"));
                var copies = new List<byte[]>();
                for (var k = 0; k < 2; k++)
                {
                    using var copy = MLImage.CreateFromFile(Path.Combine(Out("aug"), label, $"img{i}_pc{k}.png"));
                    var a = ImageFiles.Luma(original);
                    var b = ImageFiles.Luma(copy);
                    var changed = Enumerable.Range(0, a.Length).Where(j => a[j] != b[j]).ToArray();
                    Assert.Equal(5, changed.Length);
                    Assert.All(changed, j =>
                    {
                        Assert.InRange(j / Size, 7, 16);
                        Assert.InRange(j % Size, 7, 16);
                        Assert.InRange(Math.Abs(a[j] - b[j]), 1, 20);
                    });
                    copies.Add(b);
                }
                Assert.NotEqual(copies[0], copies[1]);
            }
        var again = CliRun.Of("augment", "--data", _fixture.Data, "--out", Out("aug2"), "--count", "5", "--range", "20", "--area", "10", "--copies", "2");
        Assert.Equal(0, again.ExitCode);
        using var first = MLImage.CreateFromFile(Path.Combine(Out("aug"), "disc", "img0_pc1.png"));
        using var second = MLImage.CreateFromFile(Path.Combine(Out("aug2"), "disc", "img0_pc1.png"));
        Assert.Equal(first.Pixels.ToArray(), second.Pixels.ToArray());
        var tooMany = CliRun.Of("augment", "--data", _fixture.Data, "--out", Out("aug3"), "--count", "200", "--area", "10");
        Assert.Equal(1, tooMany.ExitCode);
        Assert.Contains("img0.png", tooMany.Error);
    }
}
