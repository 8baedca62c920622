using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.MLNet;
using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using MLRobust.Trainers;
using TorchSharp;

namespace MLRobust.Tests;

/// <summary>MLRobust inside real ML.NET pipelines: ML.NET's own estimators before and after MLRobust's, Evaluate checked
/// against accuracy and log-loss computed by hand, PredictionEngine over the whole chain without a Label column,
/// ml.Model.Save/Load of the mixed chain, rejected tampered and truncated files, and ML.NET's device rules.</summary>
[Collection(SeededTorchCollection.Name)]
public class MLNetPipelineTests
{
    private const int Size = 24;
    private static readonly AlexNetSmallWidths Small = new(4, 8, 8, 8, 8, 16);

    public sealed class ShapeInput
    {
        [VectorType(1, Size, Size)]
        public float[] Image { get; set; } = [];
    }

    public sealed class ShapePrediction
    {
        public float[] Score { get; set; } = [];
        public string PredictedClass { get; set; } = "";
    }

    private static IDataView Data(MLContext ml, int rows, int seed) => SyntheticShapes.DataView(ml, SyntheticShapes.Rows(rows, Size, seed), Size);

    /// <summary>ML.NET (copy) → MLRobust (augmentation, trainer) → ML.NET (key to value).</summary>
    private static IEstimator<ITransformer> Pipeline(MLContext ml) =>
        ml.Transforms.CopyColumns("Features", "Image")
            .Append(ml.Transforms.Augmentation.PixelChange("Noisy", count: 8, range: 40, seed: 5, inputColumnName: "Features"))
            .Append(ml.MulticlassClassification.Trainers.DirectClassifier(new DirectClassifierTrainer.Options
            {
                FeatureColumnName = "Features", Widths = Small, Classifier = { Iterations = 3, BatchSize = 8 }, Seed = 7,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));

    [Fact]
    public void MixedPipeline_EvaluatesAsComputedByHand_AndPredictsRowByRow()
    {
        var ml = new MLContext(11);
        var model = Pipeline(ml).Fit(Data(ml, 24, 1));
        var test = Data(ml, 14, 2);
        var scored = model.Transform(test);

        var labels = scored.GetColumn<uint>("Label").ToArray();
        var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
        var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToArray();
        var names = scored.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(m => m.ToString()).ToArray();
        var metrics = ml.MulticlassClassification.Evaluate(scored);

        double accuracy = labels.Zip(predicted).Count(p => p.First == p.Second) / (double)labels.Length;
        double logLoss = labels.Select((l, r) => -Math.Log(Math.Max(scores[r][l - 1], 1e-15))).Average();
        Assert.Equal(accuracy, metrics.MicroAccuracy, 12);
        Assert.Equal(logLoss, metrics.LogLoss, 4);
        Assert.Equal(labels.Length, (int)metrics.ConfusionMatrix.Counts.Sum(row => row.Sum()));
        Assert.Equal(4, metrics.ConfusionMatrix.NumberOfClasses);
        var classNames = new[] { "disc", "square", "triangle", "None" };
        Assert.Equal(predicted.Select(k => classNames[k - 1]), names);

        // PredictionEngine over the whole chain, from rows with an image and no label: the same scores as the batched Transform.
        using var engine = ml.Model.CreatePredictionEngine<ShapeInput, ShapePrediction>(model, ignoreMissingColumns: true);
        var images = test.GetColumn<VBuffer<float>>("Image").Select(v => v.DenseValues().ToArray()).ToArray();
        for (var r = 0; r < images.Length; r++)
        {
            var p = engine.Predict(new ShapeInput { Image = images[r] });
            Assert.Equal(names[r], p.PredictedClass);
            for (var c = 0; c < 4; c++) Assert.Equal(scores[r][c], p.Score[c], 5);
        }
    }

    [Fact]
    public void MixedChain_SavedAndLoadedByMLNet_GivesIdenticalOutputs()
    {
        var ml = new MLContext(12);
        var train = Data(ml, 24, 3);
        var model = Pipeline(ml).Fit(train);
        var test = Data(ml, 10, 4);
        using var folder = new TempFolder();
        ml.Model.Save(model, train.Schema, folder.File("mixed.zip"));

        var fresh = new MLContext(99);
        fresh.ComponentCatalog.RegisterMLRobust();
        var loaded = fresh.Model.Load(folder.File("mixed.zip"), out var schema);
        Assert.Equal(train.Schema.Select(c => c.Name), schema.Select(c => c.Name));
        var before = model.Transform(test);
        var after = loaded.Transform(test);
        foreach (var column in new[] { "Noisy", "Score" })
            Assert.Equal(Vectors(before, column), Vectors(after, column));
        Assert.Equal(before.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(m => m.ToString()), after.GetColumn<ReadOnlyMemory<char>>("PredictedClass").Select(m => m.ToString()));
        var chain = Assert.IsType<TransformerChain<ITransformer>>(loaded);
        Assert.Contains(chain, t => t is DirectClassifierTransformer);
        Assert.Contains(chain, t => t is Augmentation.ImageAugmentingTransformer);
    }

    [Fact]
    public void TamperedOrTruncatedModelFiles_AreRejected()
    {
        var ml = new MLContext(13);
        var train = Data(ml, 16, 5);
        var model = Pipeline(ml).Fit(train);
        using var folder = new TempFolder();
        var path = folder.File("model.zip");
        ml.Model.Save(model, train.Schema, path);

        // One flipped byte inside the network's weights: the entry's SHA-256 no longer matches.
        var tampered = folder.File("tampered.zip");
        File.Copy(path, tampered);
        using (var zip = ZipFile.Open(tampered, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("weights.safetensors", StringComparison.Ordinal));
            byte[] bytes;
            using (var s = entry.Open()) { using var m = new MemoryStream(); s.CopyTo(m); bytes = m.ToArray(); }
            bytes[^3] ^= 0x40;
            var name = entry.FullName;
            entry.Delete();
            using var w = zip.CreateEntry(name).Open();
            w.Write(bytes);
        }
        var reader = new MLContext(1);
        reader.ComponentCatalog.RegisterMLRobust();
        var error = Assert.ThrowsAny<Exception>(() => reader.Model.Load(tampered, out _));
        var cause = Assert.IsType<InvalidDataException>(error.GetBaseException());
        Assert.Contains("weights.safetensors", cause.Message);
        Assert.Contains("SHA-256", cause.Message);
        Assert.Contains("MLRobustDirectClassifier", cause.Message);

        var truncated = folder.File("truncated.zip");
        var all = File.ReadAllBytes(path);
        File.WriteAllBytes(truncated, all.AsSpan(0, all.Length / 2).ToArray());
        Assert.ThrowsAny<Exception>(() => reader.Model.Load(truncated, out _));

        // SaveAtomically: a model that fails to save (an attack transform) leaves the previous file whole.
        var attack = ml.Transforms.Adversarial.Fgsm(Attacks.AttackTarget.From(((IEnumerable<ITransformer>)model).OfType<DirectClassifierTransformer>().Single().Classifier),
            inputColumnName: "Image").Fit(train);
        Assert.Throws<NotSupportedException>(() => ml.Model.SaveAtomically(model.Append(attack), train.Schema, path));
        Assert.Equal(all, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(folder.Path, ".*"));
        Assert.NotNull(reader.Model.Load(path, out _));
    }

    [Fact]
    public void AttackTransforms_HoldingALiveModel_SayWhyTheyAreNotSaved()
    {
        var ml = new MLContext(14);
        var train = Data(ml, 16, 6);
        using var classifier = ml.MulticlassClassification.Trainers.DirectClassifier(new DirectClassifierTrainer.Options
        { FeatureColumnName = "Image", Widths = Small, Classifier = { Iterations = 1, BatchSize = 8 } }).Fit(train);
        var attack = ml.Transforms.Adversarial.Fgsm(Attacks.AttackTarget.From(classifier.Classifier), inputColumnName: "Image",
            columns: new Attacks.AdversarialTransformOptions { LabelColumnName = "Label" }).Fit(train);
        using var folder = new TempFolder();
        var error = Assert.Throws<NotSupportedException>(() => ml.Model.Save(attack, train.Schema, folder.File("attack.zip")));
        Assert.Contains("live model", error.Message);
        Assert.False(attack.IsRowToRowMapper);
    }

    [Fact]
    public void DeviceSelection_FollowsMLNetRules()
    {
        Assert.Equal(torch.CPU, DeviceSelection.Select(null, fallbackToCpu: false, cudaDevices: 0));
        Assert.Equal("cuda:1", DeviceSelection.Select(1, fallbackToCpu: false, cudaDevices: 2).ToString());
        var warnings = new List<string>();
        Assert.Equal(torch.CPU, DeviceSelection.Select(0, fallbackToCpu: true, cudaDevices: 0, warnings.Add));
        Assert.Contains("falling back to the CPU", Assert.Single(warnings));
        var error = Assert.Throws<InvalidOperationException>(() => DeviceSelection.Select(2, fallbackToCpu: false, cudaDevices: 1));
        Assert.Contains("FallbackToCpu", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => DeviceSelection.Select(-1, fallbackToCpu: true, cudaDevices: 0));
    }

    [Fact]
    public void MLContextGpuSettings_ReachTheTrainer()
    {
        if (torch.cuda.is_available()) return; // the rule for a missing GPU is what is checked here
        var options = new DirectClassifierTrainer.Options { FeatureColumnName = "Image", Widths = Small, Classifier = { Iterations = 1, BatchSize = 8 } };
        var strict = new MLContext(15) { GpuDeviceId = 0, FallbackToCpu = false };
        var error = Assert.Throws<InvalidOperationException>(() => strict.MulticlassClassification.Trainers.DirectClassifier(options).Fit(Data(strict, 8, 7)));
        Assert.Contains("GpuDeviceId is 0", error.Message);

        var lenient = new MLContext(15) { GpuDeviceId = 0, FallbackToCpu = true };
        var log = new List<string>();
        lenient.Log += (_, e) => { lock (log) log.Add(e.Message); };
        using var model = lenient.MulticlassClassification.Trainers.DirectClassifier(options).Fit(Data(lenient, 8, 7));
        Assert.Contains(log, m => m.Contains("falling back to the CPU"));
    }

    [Fact]
    public void ImageColumns_FromLoadImages_TrainAndScoreLikeTheirExtractedPixels()
    {
        using var folder = new TempFolder();
        var random = new Random(4);
        foreach (var label in new[] { "bright", "dark" })
        {
            Directory.CreateDirectory(Path.Combine(folder.Path, label));
            for (var i = 0; i < 6; i++)
            {
                var grey = new byte[Size * Size];
                for (var p = 0; p < grey.Length; p++) grey[p] = (byte)Math.Clamp((label == "bright" ? 170 : 80) + random.Next(-60, 61), 0, 255);
                Rendering.Images.ImageFiles.SaveGreyPng(Path.Combine(folder.Path, label, $"{i}.png"), Size, Size, grey);
            }
        }
        var ml = new MLContext(16);
        var files = ml.Data.LoadFromImageFolder(folder.Path);
        var images = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Features", folder.Path, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Features", Size, Size))
            .Fit(files).Transform(files);
        var pixels = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.LoadImages("Image", folder.Path, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", Size, Size))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", Microsoft.ML.Transforms.Image.ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Fit(files).Transform(files);
        var options = new DirectClassifierTrainer.Options { Widths = Small, Classifier = { Iterations = 2, BatchSize = 4 }, Seed = 3 };

        // Trained on the image column itself; scored on the image column and on ExtractPixels' vector: the same scores.
        using var model = ml.MulticlassClassification.Trainers.DirectClassifier(options).Fit(images);
        Assert.Equal(Vectors(model.Transform(pixels), "Score"), Vectors(model.Transform(images), "Score"));
        using var engine = ml.Model.CreatePredictionEngine<ImagePathInput, ShapePrediction>(
            ml.Transforms.LoadImages("Features", folder.Path, "ImagePath").Append(ml.Transforms.ResizeImages("Features", Size, Size)).Fit(files).Append(model),
            ignoreMissingColumns: true);
        var first = engine.Predict(new ImagePathInput { ImagePath = Path.Combine(folder.Path, "bright", "0.png") });
        var batched = Vectors(model.Transform(images), "Score")[0];
        for (var c = 0; c < batched.Length; c++) Assert.Equal(batched[c], first.Score[c], 5); // one row vs a batch: float rounding only
    }

    [Fact]
    public void ImageFolder_ListsClassFoldersInOrder_AsAShuffleableView()
    {
        using var folder = new TempFolder();
        foreach (var (label, file) in new[] { ("b", "2.png"), ("a", "1.jpg"), ("b", "1.png"), ("a", "notes.txt") })
        {
            Directory.CreateDirectory(Path.Combine(folder.Path, label));
            File.WriteAllText(Path.Combine(folder.Path, label, file), "");
        }
        var ml = new MLContext(17);
        var view = ml.Data.LoadFromImageFolder(folder.Path);
        Assert.True(view.CanShuffle, "trainers reading it in passes can get a new order each pass");
        Assert.Equal(new[] { "a", "b", "b" }, view.GetColumn<string>("Label"));
        Assert.Equal(new[] { "a/1.jpg", "b/1.png", "b/2.png" }, view.GetColumn<string>("ImagePath").Select(p => Path.GetRelativePath(folder.Path, p)));
        using var shuffled = view.GetRowCursor(view.Schema, new Random(3));
        var paths = new List<string>();
        var getter = shuffled.GetGetter<ReadOnlyMemory<char>>(view.Schema["ImagePath"]);
        ReadOnlyMemory<char> value = default;
        while (shuffled.MoveNext()) { getter(ref value); paths.Add(value.ToString()); }
        Assert.Equal(view.GetColumn<string>("ImagePath").Order(), paths.Order());
        Directory.CreateDirectory(Path.Combine(folder.Path, "empty", "class"));
        Assert.Throws<InvalidDataException>(() => ml.Data.LoadFromImageFolder(Path.Combine(folder.Path, "empty")));
    }

    public sealed class ImagePathInput
    {
        public string ImagePath { get; set; } = "";
    }

    private static List<float[]> Vectors(IDataView data, string column) =>
        data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToList();
}
