using MLRobust.Rendering.Images;
using MLRobust.Rendering.DataViews;
using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MLRobust.Attacks;
using MLRobust.Augmentation;
using MLRobust.Cli.Hosting;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Cli.Commands;

/// <summary>
/// <c>mlrobust augment --data DIR --out DIR [--count 64] [--range 255] [--area P] [--copies K] [--seed S] [--json]</c>:
/// writes pixel-changed copies (Zhang and Cai) of every image of a class-per-folder data set, keeping the class
/// folders: out/CLASS/NAME_pcK.png. Grey images stay grey; colour images change in every channel.
/// </summary>
internal static class AugmentCommand
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "A folder with one sub-folder of images per class.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where to write the changed copies (same class folders).", Required = true };
        var count = new Option<int>("--count") { Description = "Pixels changed per image.", DefaultValueFactory = _ => 64 };
        var range = new Option<int>("--range") { Description = "255: any grey level; below: the old value ± up to this many grey levels.", DefaultValueFactory = _ => 255 };
        var area = new Option<int?>("--area") { Description = "Side of the centred square the pixels are drawn from (default: the whole image)." };
        var copies = new Option<int>("--copies") { Description = "Changed copies per image.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seeds the changes: the same seed gives the same copies.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print a summary as JSON, for scripts." };
        var command = new Command("augment", "Write pixel-changed copies (Zhang and Cai's small-distance samples) of a data folder.")
        {
            data, output, count, range, area, copies, seed, json,
        };
        command.SetAction(parseResult =>
        {
            var summary = Run(parseResult.GetValue(data)!, parseResult.GetValue(output)!, parseResult.GetValue(count), parseResult.GetValue(range),
                parseResult.GetValue(area), parseResult.GetValue(copies), parseResult.GetValue(seed));
            var writer = parseResult.InvocationConfiguration.Output;
            if (parseResult.GetValue(json)) writer.WriteLine(JsonSerializer.Serialize(summary, s_json));
            else writer.WriteLine($"Wrote {summary.Written} pixel-changed images of {summary.Images} originals to {summary.Output}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal sealed record Summary(int Images, int Written, int Count, int Range, int? Area, string Output);

    private static Summary Run(DirectoryInfo data, DirectoryInfo output, int count, int range, int? area, int copies, int seed)
    {
        if (!data.Exists) throw new DirectoryNotFoundException($"Data folder '{data.FullName}' does not exist.");
        if (copies < 1) throw new UserErrorException("--copies must be at least 1.");
        var augmentation = new PixelChangeAugmentation(count, range, area, valueRange: InputRange.Grey);
        var ml = new MLContext(seed);
        var folder = ml.Data.LoadFromImageFolder(data.FullName);
        var files = new List<(string Path, string Label)>();
        using (var cursor = folder.GetRowCursor(folder.Schema))
        {
            var path = cursor.GetGetter<ReadOnlyMemory<char>>(folder.Schema["ImagePath"]);
            var label = cursor.GetGetter<ReadOnlyMemory<char>>(folder.Schema["Label"]);
            ReadOnlyMemory<char> p = default, l = default;
            while (cursor.MoveNext())
            {
                path(ref p);
                label(ref l);
                files.Add((p.ToString(), l.ToString()));
            }
        }
        if (files.Count == 0) throw new UserErrorException($"Data folder '{data.FullName}' holds no PNG or JPEG images in class sub-folders.");

        var written = 0;
        for (var f = 0; f < files.Count; f++)
        {
            var (path, label) = files[f];
            using var image = ImageFiles.Read(path);
            var rgba = ImageFiles.Rgba(image);
            // MLImage decodes every file to four channels: an image whose R, G and B agree everywhere is greyscale.
            var grey = IsGrey(rgba);
            var (width, height) = (image.Width, image.Height);
            var channels = grey ? 1 : 3;
            var pixels = Planes(rgba, width * height, channels);
            var shape = new[] { channels, height, width };
            try
            {
                augmentation.OutputShape(shape);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new UserErrorException($"Image '{path}' ({width}x{height}): {ex.Message.Split(" (Parameter", 2)[0]}");
            }
            var targetDir = Directory.CreateDirectory(Path.Combine(output.FullName, label)).FullName;
            for (var k = 0; k < copies; k++)
            {
                var changed = augmentation.Apply(pixels, shape, seed, (long)f * copies + k);
                var name = $"{Path.GetFileNameWithoutExtension(path)}_pc{k.ToString(CultureInfo.InvariantCulture)}.png";
                if (grey) ImageFiles.SaveGreyPng(Path.Combine(targetDir, name), width, height, Bytes(changed));
                else ImageFiles.SavePng(Path.Combine(targetDir, name), width, height, Interleave(changed, rgba, width * height));
                written++;
            }
        }
        return new Summary(files.Count, written, count, range, area, output.FullName);
    }

    private static bool IsGrey(byte[] rgba)
    {
        for (var p = 0; p < rgba.Length; p += 4)
            if (rgba[p] != rgba[p + 1] || rgba[p] != rgba[p + 2]) return false;
        return true;
    }

    /// <summary>[C, H, W] grey levels from RGBA bytes: one plane (R) for greyscale images, else R, G, B planes.</summary>
    private static float[] Planes(byte[] bytes, int n, int channels)
    {
        var planes = new float[channels * n];
        if (channels == 1)
        {
            for (var i = 0; i < n; i++) planes[i] = bytes[4 * i];
            return planes;
        }
        for (var i = 0; i < n; i++)
            for (var c = 0; c < 3; c++)
                planes[c * n + i] = bytes[4 * i + c];
        return planes;
    }

    private static byte[] Bytes(float[] planes) =>
        planes.Select(v => (byte)Math.Clamp(Math.Round(v), 0, 255)).ToArray();

    /// <summary>RGBA bytes from changed R, G, B planes and the original alpha.</summary>
    private static byte[] Interleave(float[] planes, byte[] alpha, int n)
    {
        var bytes = new byte[4 * n];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < 3; c++) bytes[4 * i + c] = (byte)Math.Clamp(Math.Round(planes[c * n + i]), 0, 255);
            bytes[4 * i + 3] = alpha[4 * i + 3];
        }
        return bytes;
    }
}
