using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using MLRobust.ML;
using MLRobust.ML.Data;
using MLRobust.ML.Transforms;
using TorchSharp;

namespace MLRobust.Data.Tests;

/// <summary>Point 7: model files (save, reload, identical outputs, validation) and prediction engines.</summary>
public sealed class ModelFileTests : IClassFixture<ImageFixtures>
{
    private readonly ImageFixtures _files;

    public ModelFileTests(ImageFixtures files) => _files = files;

    public sealed class Sample
    {
        public string ImagePath { get; set; } = "";
        public string Kind { get; set; } = "";
        [VectorType(3)]
        public float[] Extra { get; set; } = new float[3];
    }

    public sealed class Prediction
    {
        public uint KindKey { get; set; }
        [VectorType(3)]
        public float[] Scaled { get; set; } = Array.Empty<float>();
        public float Brightness { get; set; }
        [VectorType(3, 4, 5)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    public sealed class PixelsIn
    {
        [VectorType(3, 4, 5)]
        public float[] Pixels { get; set; } = Array.Empty<float>();
    }

    public sealed class BrightnessOut
    {
        public float Brightness { get; set; }
    }

    [CustomMappingFactoryAttribute("Tests.Brightness")]
    public sealed class BrightnessFactory : CustomMappingFactory<PixelsIn, BrightnessOut>
    {
        public static void Map(PixelsIn input, BrightnessOut output) => output.Brightness = input.Pixels.Average();
        public override Action<PixelsIn, BrightnessOut> GetMapping() => Map;
    }

    private static Sample[] Samples() => new[]
    {
        new Sample { ImagePath = "rgb.png", Kind = "a", Extra = new[] { 1f, 2, 3 } },
        new Sample { ImagePath = "gray.jpg", Kind = "b", Extra = new[] { 4f, 5, 6 } },
        new Sample { ImagePath = "palette.png", Kind = "a", Extra = new[] { 7f, 8, 9 } },
    };

    private (ITransformer Model, IDataView Data, MLContext Ml) FitPipeline()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Samples());
        var pipeline = ml.Transforms.Conversion.MapValueToKey("KindKey", "Kind")
            .Append(ml.Transforms.LoadImages("Image", _files.Folder, "ImagePath"))
            .Append(ml.Transforms.ResizeImages("Image", 5, 4, resizing: ML.Transforms.Image.ImageResizingEstimator.ResizingKind.IsoPad))
            .Append(ml.Transforms.ConvertToGrayscale("Gray", "Image"))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", offsetImage: 128, scaleImage: 1 / 128f))
            .Append(ml.Transforms.CustomMapping<PixelsIn, BrightnessOut>(BrightnessFactory.Map, "Tests.Brightness"))
            .Append(ml.Transforms.Concatenate("Both", "Extra", "Brightness"))
            .Append(ml.Transforms.CopyColumns("ExtraCopy", "Extra"))
            .Append(ml.Transforms.DropColumns("Gray"));
        var model = pipeline.Fit(data);
        var scaler = new TensorScalerTransformer(ml, torch.tensor(new[] { 0.5f, -1f, 2f }, new long[] { 3 }), "Scaled", "ExtraCopy");
        return (model.Append(scaler), data, ml);
    }

    private static float[][] Column(IDataView data, string name) =>
        data.GetColumn<VBuffer<float>>(name).Select(v => v.ToArray()).ToArray();

    [Fact]
    public void ASavedPipelineReloadsAndGivesIdenticalOutputs()
    {
        using var folder = new TempFolder();
        var (model, data, ml) = FitPipeline();
        var path = folder.File("model.zip");
        ml.Model.Save(model, data.Schema, path);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));

        var loaded = new MLContext(2).Model.Load(path, out var schema);
        Assert.Equal(data.Schema.Select(c => (c.Name, c.Type)), schema.Select(c => (c.Name, c.Type)));
        var expected = model.Transform(data);
        var actual = loaded.Transform(data);
        Assert.Equal(expected.Schema.Where(c => !c.IsHidden).Select(c => (c.Name, c.Type)), actual.Schema.Where(c => !c.IsHidden).Select(c => (c.Name, c.Type)));
        foreach (var name in new[] { "Pixels", "Both", "Scaled" }) Assert.Equal(Column(expected, name), Column(actual, name));
        Assert.Equal(expected.GetColumn<uint>("KindKey"), actual.GetColumn<uint>("KindKey"));
        Assert.Equal(new[] { "a", "b" }, actual.Schema["KindKey"].GetKeyValueNames());
        Assert.Equal(new[] { new[] { 0.5f, -2, 6 }, new[] { 2f, -5, 12 }, new[] { 3.5f, -8, 18 } }, Column(actual, "Scaled"));
    }

    [Fact]
    public void StreamsRoundTripToo()
    {
        var (model, data, ml) = FitPipeline();
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);
        Assert.Equal(Column(model.Transform(data), "Scaled"), Column(loaded.Transform(data), "Scaled"));
    }

    [Fact]
    public void PredictionEnginesScoreSingleObjectsLikeTheBatchPath()
    {
        var (model, data, ml) = FitPipeline();
        using var engine = ml.Model.CreatePredictionEngine<Sample, Prediction>(model);
        var batch = ml.Data.CreateEnumerable<Prediction>(model.Transform(data), reuseRowObject: false).ToArray();
        var samples = Samples();
        for (var i = 0; i < samples.Length; i++)
        {
            var single = engine.Predict(samples[i]);
            Assert.Equal(batch[i].KindKey, single.KindKey);
            Assert.Equal(batch[i].Scaled, single.Scaled);
            Assert.Equal(batch[i].Brightness, single.Brightness);
            Assert.Equal(batch[i].Pixels, single.Pixels);
        }
        Assert.Equal(2u, engine.Predict(new Sample { ImagePath = "rgb.png", Kind = "b" }).KindKey);
    }

    // ---- validation ----

    private byte[] SavedModel()
    {
        var (model, data, ml) = FitPipeline();
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return stream.ToArray();
    }

    private static ModelFormatException LoadFails(byte[] bytes)
    {
        var ml = new MLContext(1);
        return Assert.Throws<ModelFormatException>(() => ml.Model.Load(new MemoryStream(bytes), out _));
    }

    // Rewrites a model's entries (recomputing the manifest), so a test changes one thing at a time.
    private static byte[] Rewrite(byte[] model, Action<Dictionary<string, byte[]>> change)
    {
        var entries = ModelArchive.Read(new MemoryStream(model), "test", ModelLoadLimits.Default);
        change(entries);
        using var stream = new MemoryStream();
        ModelArchive.Write(stream, entries.Select(e => (e.Key, e.Value)).ToList());
        return stream.ToArray();
    }

    private static void EditJson(Dictionary<string, byte[]> entries, string name, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(entries[name])!.AsObject();
        edit(json);
        entries[name] = Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    [Fact]
    public void UnknownComponentsAreNamed()
    {
        var bytes = Rewrite(SavedModel(), e => EditJson(e, "Model/Transform_001/component.json", j => j["Signature"] = "NoSuchTransform"));
        var error = LoadFails(bytes);
        Assert.Contains("component 'NoSuchTransform' is unknown", error.Message);
        Assert.Contains("RegisterAssembly", error.Message);
    }

    [Fact]
    public void NewerComponentVersionsAreRefused()
    {
        var bytes = Rewrite(SavedModel(), e => EditJson(e, "Model/Transform_000/component.json", j => j["Version"] = 99));
        Assert.Contains("version 99", LoadFails(bytes).Message);
    }

    [Fact]
    public void NewerFormatVersionsAreRefused()
    {
        var original = SavedModel();
        using var stream = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(original), ZipArchiveMode.Read))
        using (var target = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var input = entry.Open();
                var data = new MemoryStream();
                input.CopyTo(data);
                var bytes = data.ToArray();
                if (entry.FullName == ModelArchive.ManifestName)
                {
                    var json = JsonNode.Parse(bytes)!.AsObject();
                    json["FormatVersion"] = 2;
                    bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
                }
                using var output = target.CreateEntry(entry.FullName).Open();
                output.Write(bytes);
            }
        }
        var error = LoadFails(stream.ToArray());
        Assert.Contains("format version 2", error.Message);
        Assert.Contains("newer", error.Message);
    }

    [Fact]
    public void TruncatedFilesAreRefused()
    {
        using var folder = new TempFolder();
        var bytes = SavedModel();
        var path = folder.File("cut.zip");
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var error = Assert.Throws<ModelFormatException>(() => new MLContext().Model.Load(path, out _));
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("not a model zip", LoadFails(Encoding.UTF8.GetBytes("hello")).Message);
    }

    [Fact]
    public void TamperedEntriesFailTheirChecksum()
    {
        var original = SavedModel();
        using var stream = new MemoryStream();
        stream.Write(original);
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry("Model/Transform_009/weights.safetensors")!;
            byte[] bytes;
            using (var s = entry.Open())
            {
                var m = new MemoryStream();
                s.CopyTo(m);
                bytes = m.ToArray();
            }
            bytes[^1] ^= 0x40;
            entry.Delete();
            using var w = zip.CreateEntry("Model/Transform_009/weights.safetensors").Open();
            w.Write(bytes);
        }
        Assert.Contains("does not match its checksum", LoadFails(stream.ToArray()).Message);
    }

    [Fact]
    public void OversizedEntriesAreRefusedBeforeReading()
    {
        var bytes = SavedModel();
        var limits = ModelLoadLimits.Default with { MaxEntryBytes = 64 };
        var error = Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MLContext(), new MemoryStream(bytes), "small.zip", limits, out _));
        Assert.Contains("more than the 64 allowed", error.Message);
        var total = ModelLoadLimits.Default with { MaxTotalBytes = 1000 };
        Assert.Contains("allowed in all", Assert.Throws<ModelFormatException>(() => ModelFile.Load(new MLContext(), new MemoryStream(bytes), "small.zip", total, out _)).Message);
    }

    [Fact]
    public void ASchemaThatDoesNotFitTheModelIsRefused()
    {
        var bytes = Rewrite(SavedModel(), e => EditJson(e, "Schema.json", j =>
        {
            foreach (var column in j["columns"]!.AsArray())
                if ((string?)column!["name"] == "Kind") column["type"] = new JsonObject { ["kind"] = "image", ["height"] = 0, ["width"] = 0 };
        }));
        var error = LoadFails(bytes);
        Assert.Contains("does not fit the saved model", error.Message);
        Assert.Contains("'Kind'", error.Message);
    }

    [Fact]
    public void DataOfTheWrongShapeGetsAnMlNetSchemaError()
    {
        var (model, _, ml) = FitPipeline();
        var wrong = ml.Data.LoadFromEnumerable(new[] { new FeatureRow() });
        var error = Assert.Throws<SchemaMismatchException>(() => model.Transform(wrong));
        Assert.Contains("Could not find input column 'Kind'", error.Message);
    }

    [Fact]
    public void FailedSavesLeaveTheOldFileAlone()
    {
        using var folder = new TempFolder();
        var path = folder.File("model.zip");
        File.WriteAllText(path, "old");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new PixelsIn { Pixels = new float[60] } });
        var unsaveable = ml.Transforms.CustomMapping<PixelsIn, BrightnessOut>(BrightnessFactory.Map, contractName: null).Fit(data);
        var error = Assert.Throws<InvalidOperationException>(() => ml.Model.Save(unsaveable, data.Schema, path));
        Assert.Contains("contractName", error.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }
}
