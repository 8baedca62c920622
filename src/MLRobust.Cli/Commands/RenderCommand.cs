using System.CommandLine;
using MLRobust.Cli.Hosting;
using Microsoft.ML;
using MLRobust.Rendering.Backgrounds;
using MLRobust.Rendering.Gltf;
using MLRobust.Rendering.Models;
using MLRobust.Rendering.Raster;
using MLRobust.Rendering.Scenes;
using Spectre.Console;

namespace MLRobust.Cli.Commands;

/// <summary>
/// <c>mlrobust render</c>: posed renders of 3D models over backgrounds, written as a dataset folder
/// (manifest.csv, labels.txt, image/alpha/clean PNGs per row); or, with <c>--gallery FILE</c>, the
/// contact sheet of the built-in models. The same arguments write byte-identical files.
/// </summary>
internal static class RenderCommand
{
    internal static Command Create()
    {
        var models = new Option<string[]>("--models")
        {
            Description = "builtin (the monkey, penguin and aeroplane), built-in names, or .glb/.gltf files; labels are the names or file names.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => ["builtin"],
        };
        var count = new Option<int>("--count") { Description = "Rows to render.", DefaultValueFactory = _ => 100 };
        var size = new Option<int>("--size") { Description = "Image width and height in pixels.", DefaultValueFactory = _ => 64 };
        var seed = new Option<int>("--seed") { Description = "Seeds every row (row i depends only on the seed and i).", DefaultValueFactory = _ => 1 };
        var backgrounds = new Option<string>("--backgrounds") { Description = "procedural, none (black), or a folder of JPEG/PNG photos.", DefaultValueFactory = _ => "procedural" };
        var split = new Option<string>("--background-split") { Description = "With a photo folder: all, train or test photos (split by photo).", DefaultValueFactory = _ => "all" };
        split.AcceptOnlyFromAmong("all", "train", "test");
        var noneFraction = new Option<float?>("--none-fraction") { Description = "Fraction of rows that are backgrounds alone (label None); default 1/(models + 1)." };
        var poses = new Option<FileInfo?>("--poses") { Description = "CSV with columns rx,ry,rz (radians; optional scale, shift_x, shift_y): render every model at exactly these poses." };
        var supersampling = new Option<int>("--supersampling") { Description = "Samples per pixel along each axis.", DefaultValueFactory = _ => 4 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "The folder to write (created if needed)." };
        var gallery = new Option<FileInfo?>("--gallery") { Description = "Write the contact sheet of the built-in models to this PNG instead of a dataset." };
        var command = new Command("render", "Render posed 3D models over backgrounds into a dataset folder: manifest.csv, image, alpha and clean PNGs.")
        {
            models, count, size, seed, backgrounds, split, noneFraction, poses, supersampling, output, gallery,
        };
        command.SetAction(parseResult =>
        {
            var writer = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(gallery) is { } sheet)
            {
                if (parseResult.GetValue(output) is not null) throw new UserErrorException("--gallery writes one PNG; leave out --out.");
                Gallery.Write(sheet.FullName);
                writer.WriteLine($"Wrote the contact sheet to {sheet.FullName}.");
                return ExitCodes.Ok;
            }
            var folder = parseResult.GetValue(output) ?? throw new UserErrorException("--out DIR is required (or --gallery FILE).");
            var posesFile = parseResult.GetValue(poses);
            if (posesFile is not null && parseResult.GetResult(count) is { Implicit: false })
                throw new UserErrorException("--poses renders every model at each listed pose; leave out --count.");
            if (posesFile is not null && parseResult.GetResult(noneFraction) is { Implicit: false })
                throw new UserErrorException("--poses renders no None rows; leave out --none-fraction.");
            var options = new SyntheticSceneOptions
            {
                ModelNames = ExpandModels(parseResult.GetValue(models) ?? []),
                Count = parseResult.GetValue(count),
                ImageSize = parseResult.GetValue(size),
                Seed = parseResult.GetValue(seed),
                NoneFraction = parseResult.GetValue(noneFraction),
                Supersampling = parseResult.GetValue(supersampling),
            };
            Check(options);
            SetBackground(options, parseResult.GetValue(backgrounds)!, parseResult.GetValue(split)!);
            if (posesFile is not null) options.Poses = ReadPoses(posesFile.FullName);

            SyntheticSceneDataView view;
            try
            {
                view = new MLContext(options.Seed).Data.LoadFromSyntheticScenes(options);
            }
            catch (Exception e) when (e is GltfException or InvalidDataException)
            {
                throw new UserErrorException(e.Message, e);
            }
            long rows = view.GetRowCount() ?? 0;
            try
            {
                Terminal.For(writer).Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask("Rendering", maxValue: Math.Max(1, rows));
                        SceneFolder.Save(view, folder.FullName, new Reporter(task));
                    });
            }
            catch (InvalidDataException e)
            {
                // An unreadable background photo: the user's file.
                throw new UserErrorException(e.Message, e);
            }
            writer.WriteLine($"Wrote {rows} rows ({string.Join(", ", view.LabelNames)}) to {folder.FullName}{Path.DirectorySeparatorChar}{SceneFolder.ManifestFile}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string[] ExpandModels(string[] given)
    {
        if (given.Length == 0) throw new UserErrorException("--models needs at least one model.");
        var names = given.SelectMany(m => m == "builtin" ? BuiltInModels.Names : [m]).ToArray();
        foreach (var m in names)
            if (!BuiltInModels.Names.Contains(m) && !File.Exists(m))
                throw new UserErrorException($"--models: '{m}' is neither builtin, a built-in model ({string.Join(", ", BuiltInModels.Names)}) nor an existing .glb/.gltf file.");
        return names;
    }

    private static void Check(SyntheticSceneOptions o)
    {
        if (o.Count < 1) throw new UserErrorException($"--count must be at least 1, got {o.Count}.");
        if (o.ImageSize is < 1 or > 4096) throw new UserErrorException($"--size must be between 1 and 4096, got {o.ImageSize}.");
        if (o.Supersampling is < 1 or > 16) throw new UserErrorException($"--supersampling must be between 1 and 16, got {o.Supersampling}.");
        if (o.NoneFraction is float f && !(f >= 0 && f <= 1)) throw new UserErrorException($"--none-fraction must be between 0 and 1, got {f}.");
    }

    private static void SetBackground(SyntheticSceneOptions options, string backgrounds, string split)
    {
        switch (backgrounds)
        {
            case "procedural": options.Backgrounds = BackgroundKind.Procedural; break;
            case "none": options.Backgrounds = BackgroundKind.None; break;
            default:
                if (!Directory.Exists(backgrounds))
                    throw new UserErrorException($"--backgrounds: '{backgrounds}' is neither procedural, none nor an existing folder of photos.");
                options.Backgrounds = BackgroundKind.Photos;
                options.BackgroundFolder = backgrounds;
                options.BackgroundSplit = split switch { "train" => BackgroundSplit.Train, "test" => BackgroundSplit.Test, _ => BackgroundSplit.All };
                break;
        }
        if (options.Backgrounds != BackgroundKind.Photos && split != "all")
            throw new UserErrorException("--background-split applies to a folder of photos only.");
    }

    private static Pose[] ReadPoses(string path)
    {
        try { return ScenePoseFile.Read(path); }
        catch (InvalidDataException e) { throw new UserErrorException($"--poses: {e.Message}", e); }
    }

    private sealed class Reporter(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }
}
