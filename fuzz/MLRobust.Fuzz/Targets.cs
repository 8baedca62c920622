using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Rendering.Gltf;
using MLRobust.Rendering.Images;
using MLRobust.Rendering.Models;
using MLRobust.Rendering.Raster;
using MLRobust.Rendering.Scenes;
using MLRobust.Trainers;

namespace MLRobust.Fuzz;

/// <summary>One kind of untrusted input: valid seed files, how to mutate them, and how MLRobust loads them.</summary>
internal abstract class Target
{
    public abstract string Name { get; }

    /// <summary>The exception types this load is documented to throw for a bad file (the base exception for ML.NET's wrappers).</summary>
    public abstract Type[] Documented { get; }

    public abstract byte[] Mutate(int seedIndex, Random random, out string how);

    public abstract int SeedCount { get; }

    /// <summary>Whose code reads the mutated part: "MLRobust", or "ML.NET" for a model file's entries that ML.NET's own
    /// components read (its schema, chain and transforms), which MLRobust can't harden.</summary>
    public virtual string Owner(string how) => "MLRobust";

    /// <summary>Loads the input as MLRobust does (and uses what it got), throwing for a bad one.</summary>
    public abstract void Load(byte[] input, string scratch);

    public static Target Create(string name, string work) => name switch
    {
        "gltf" => new GltfTarget(),
        "image" => new ImageTarget(),
        "model" => new ModelTarget(work),
        _ => throw new ArgumentException($"unknown input kind '{name}' (gltf, image, model)"),
    };
}

/// <summary>glTF and GLB files through MLRobust's reader, then rendered.</summary>
internal sealed class GltfTarget : Target
{
    private readonly List<(string Name, string Directory, byte[] Bytes)> _seeds = [];
    private readonly Rasterizer _rasterizer = new(new RenderOptions { Width = 16, Height = 16, Supersampling = 2 });

    public GltfTarget()
    {
        foreach (var model in BuiltInModels.Names) _seeds.Add((model + ".glb", Path.GetTempPath(), GltfWriter.ToGlb(BuiltInModels.Create(model))));
        const string conformance = "/usr/share/assimp/models/glTF";
        if (Directory.Exists(conformance))
            foreach (var file in Directory.EnumerateFiles(conformance, "*.gl*", SearchOption.AllDirectories).Where(f => f.EndsWith(".gltf") || f.EndsWith(".glb")).Order().Take(40))
                if (new FileInfo(file).Length < 4 << 20) _seeds.Add((Path.GetFileName(file), Path.GetDirectoryName(file)!, File.ReadAllBytes(file)));
    }

    public override string Name => "gltf";
    public override Type[] Documented => [typeof(GltfException)];
    public override int SeedCount => _seeds.Count;
    public override byte[] Mutate(int seedIndex, Random random, out string how) => Mutator.Bytes(_seeds[seedIndex].Bytes, random, out how);

    private int _current;
    public void Select(int seedIndex) => _current = seedIndex;

    public override void Load(byte[] input, string scratch)
    {
        var (name, directory, _) = _seeds[_current];
        var model = GltfReader.Load(input, name, directory);
        _rasterizer.Render(model, Pose.Identity);
    }
}

/// <summary>PNG and JPEG files as MLRobust reads photos and rendered images: decoded through MLImage, then to luma.</summary>
internal sealed class ImageTarget : Target
{
    private readonly List<(string Extension, byte[] Bytes)> _seeds = [];

    public ImageTarget()
    {
        var work = Directory.CreateTempSubdirectory("mlrobust-fuzz-seeds-").FullName;
        var random = new Random(1);
        foreach (var (w, h) in new[] { (32, 32), (17, 9), (64, 48) })
        {
            var rgba = new byte[w * h * 4];
            random.NextBytes(rgba);
            for (var p = 3; p < rgba.Length; p += 4) rgba[p] = (byte)(p % 7 == 0 ? 128 : 255);
            foreach (var extension in new[] { ".png", ".jpg" })
            {
                var path = Path.Combine(work, $"seed{w}x{h}{extension}");
                using (var image = MLImage.CreateFromPixels(w, h, MLPixelFormat.Rgba32, rgba)) image.Save(path);
                _seeds.Add((extension, File.ReadAllBytes(path)));
            }
            _seeds.Add((".png", ImageFiles.EncodeGreyPng(w, h, rgba.Where((_, i) => i % 4 == 0).ToArray())));
        }
        Directory.Delete(work, recursive: true);
    }

    public override string Name => "image";
    public override Type[] Documented => [typeof(InvalidDataException)];
    public override int SeedCount => _seeds.Count;
    public override byte[] Mutate(int seedIndex, Random random, out string how)
    {
        _extension = _seeds[seedIndex].Extension;
        return Mutator.Bytes(_seeds[seedIndex].Bytes, random, out how);
    }

    private string _extension = ".png";

    public override void Load(byte[] input, string scratch)
    {
        var path = Path.Combine(scratch, "input" + _extension);
        File.WriteAllBytes(path, input);
        using var image = ImageFiles.Read(path);
        ImageFiles.Luma(image);
    }
}

/// <summary>ML.NET model files holding MLRobust components, loaded with ml.Model.Load and used to score a row.</summary>
internal sealed class ModelTarget : Target
{
    private readonly List<byte[]> _seeds = [];
    private readonly MLContext _ml = new(1);
    private readonly IDataView _rows;

    public ModelTarget(string work)
    {
        _ml.ComponentCatalog.RegisterMLRobust();
        var scenes = _ml.Data.LoadFromSyntheticScenes(new SyntheticSceneOptions { Count = 12, ImageSize = 24, Seed = 3 });
        _rows = _ml.Data.TakeRows(scenes, 2);
        var direct = _ml.Transforms.CopyColumns("Features", "Image")
            .Append(_ml.Transforms.Augmentation.PixelChange("Noisy", count: 4, seed: 1, inputColumnName: "Features"))
            .Append(_ml.MulticlassClassification.Trainers.DirectClassifier(new DirectClassifierTrainer.Options
            { FeatureColumnName = "Features", Widths = new Models.AlexNetSmallWidths(4, 4, 4, 4, 4, 8), Classifier = { Iterations = 1, BatchSize = 4 } }))
            .Append(_ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"))
            .Fit(scenes);
        var triple = _ml.MulticlassClassification.Trainers.TripleStaged(new TripleStagedTrainer.Options
        {
            FeatureColumnName = "Image", EstimatorWidths = new Models.AlexNetSmallWidths(4, 4, 4, 4, 4, 8),
            ProjectorWidths = new Models.ProjectorWidths(16, 16, 16, 16, 8, 8, 4), ComparatorWidths = new Models.ComparatorWidths(10, 8, 8, 8),
            Estimator = { Iterations = 1, BatchSize = 4 }, Projector = { Iterations = 1, BatchSize = 4 }, Comparator = { Iterations = 1, BatchSize = 8 },
            ComparatorImagesPerDraw = 4,
        }).Fit(scenes);
        foreach (var (name, model) in new (string, ITransformer)[] { ("direct", direct), ("triple", triple) })
        {
            var path = Path.Combine(work, name + ".zip");
            _ml.Model.Save(model, scenes.Schema, path);
            _seeds.Add(File.ReadAllBytes(path));
            // MLRobust's component folders: those holding its parameters entry (and so its manifest in Model.key).
            using var zip = System.IO.Compression.ZipFile.OpenRead(path);
            foreach (var folder in zip.Entries.Where(e => e.FullName.EndsWith("/parameters.json", StringComparison.Ordinal)).Select(e => e.FullName[..^"parameters.json".Length]))
                foreach (var e in zip.Entries.Where(e => e.FullName.StartsWith(folder, StringComparison.Ordinal) && !e.FullName[folder.Length..].Contains('/')))
                    _ours.Add(e.FullName);
        }
    }

    public override string Name => "model";
    // Ours: InvalidDataException (a component's manifest, entries, parameters, weights). ML.NET's own parts: its zip reader and
    // header checks throw FormatException; its loaders InvalidOperationException / ArgumentOutOfRangeException (schema checks).
    public override Type[] Documented => [typeof(InvalidDataException), typeof(FormatException), typeof(InvalidOperationException), typeof(ArgumentOutOfRangeException)];
    public override int SeedCount => _seeds.Count;
    public override byte[] Mutate(int seedIndex, Random random, out string how) => Mutator.Zip(_seeds[seedIndex], random, out how);

    /// <summary>A mutated entry of an MLRobust component folder is MLRobust's; ML.NET's own entries and raw archive bytes
    /// (read first by ML.NET's zip and header code) are ML.NET's.</summary>
    public override string Owner(string how)
    {
        var entry = how.Split(':')[0];
        return _ours.Contains(entry) && !entry.EndsWith("Model.key", StringComparison.Ordinal) ? "MLRobust" : "ML.NET";
    }

    private readonly HashSet<string> _ours = [];

    public override void Load(byte[] input, string scratch)
    {
        var model = _ml.Model.Load(new MemoryStream(input, writable: false), out _);
        try
        {
            var scored = model.Transform(_rows);
            using var cursor = scored.GetRowCursor(scored.Schema);
            while (cursor.MoveNext()) { }
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}
