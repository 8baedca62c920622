using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace MLRobust.Benchmarks;

/// <summary>Rows/s of LoadImages → ResizeImages → ConvertToGrayscale → ExtractPixels over 10,000 small
/// PNGs, against decoding the same files in a plain loop. The pipeline's own overhead is measured as
/// LoadImages alone (the same decode behind a lazy cursor) against the plain decode loop; goal ≤ 10%.</summary>
internal static class ImagePipelineBenchmark
{
    internal sealed record Result(int Images, double PlainDecodeRowsPerSecond, double LoadImagesPipelineRowsPerSecond,
        double FullPipelineRowsPerSecond, double PipelineOverheadPercent, bool GoalMet);

    private sealed class Row
    {
        public string ImagePath { get; set; } = "";
    }

    internal static Result Run(bool quick)
    {
        var count = quick ? 1_000 : 10_000;
        var folder = Path.Combine(Path.GetTempPath(), $"mlrobust-bench-png-{count}");
        var files = MakeImages(folder, count);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(files.Select(f => new Row { ImagePath = f }));

        double Plain()
        {
            var sw = Stopwatch.StartNew();
            long checksum = 0;
            foreach (var f in files)
            {
                using var image = MLImage.CreateFromFile(f);
                checksum += image.Width;
            }
            if (checksum == 0) throw new InvalidOperationException("no pixels decoded");
            return files.Length / sw.Elapsed.TotalSeconds;
        }

        double Pipeline(IEstimator<ITransformer> estimator, string column)
        {
            var transformed = estimator.Fit(data).Transform(data);
            var sw = Stopwatch.StartNew();
            var rows = 0;
            using (var cursor = transformed.GetRowCursor(new[] { transformed.Schema[column] }))
            {
                var type = transformed.Schema[column].Type;
                if (type is ImageDataViewType)
                {
                    var getter = cursor.GetGetter<MLImage>(transformed.Schema[column]);
                    MLImage image = null!;
                    while (cursor.MoveNext()) { getter(ref image); rows++; }
                }
                else
                {
                    var getter = cursor.GetGetter<VBuffer<float>>(transformed.Schema[column]);
                    var buffer = default(VBuffer<float>);
                    while (cursor.MoveNext()) { getter(ref buffer); rows++; }
                }
            }
            if (rows != files.Length) throw new InvalidOperationException($"pipeline produced {rows} rows, expected {files.Length}");
            return rows / sw.Elapsed.TotalSeconds;
        }

        var loadOnly = ml.Transforms.LoadImages("Image", null, "ImagePath");
        var full = ml.Transforms.LoadImages("Image", null, "ImagePath")
            .Append(ml.Transforms.ResizeImages("Small", 28, 28, "Image"))
            .Append(ml.Transforms.ConvertToGrayscale("Grey", "Small"))
            .Append(ml.Transforms.ExtractPixels("Features", "Grey"));

        // Warm up (page cache, JIT), then best of several alternating runs: the machine may be busy.
        Plain();
        Pipeline(loadOnly, "Image");
        double plain = 0, load = 0, pipeline = 0;
        for (var round = 0; round < (quick ? 2 : 5); round++)
        {
            plain = Math.Max(plain, Plain());
            load = Math.Max(load, Pipeline(loadOnly, "Image"));
            pipeline = Math.Max(pipeline, Pipeline(full, "Features"));
        }
        var overhead = (plain / load - 1) * 100;
        var result = new Result(files.Length, plain, load, pipeline, overhead, overhead <= 10);
        Console.WriteLine($"  {files.Length} PNGs of 32x32 RGB, best of rounds");
        Console.WriteLine($"  plain decode loop          {plain,10:F0} rows/s");
        Console.WriteLine($"  LoadImages pipeline        {load,10:F0} rows/s  (overhead {overhead:F1}%, goal ≤ 10%)");
        Console.WriteLine($"  Load→Resize→Grey→Extract   {pipeline,10:F0} rows/s");
        return result;
    }

    private static string[] MakeImages(string folder, int count)
    {
        Directory.CreateDirectory(folder);
        var files = Enumerable.Range(0, count).Select(i => Path.Combine(folder, $"{i:D5}.png")).ToArray();
        if (files.All(File.Exists)) return files;
        var random = new Random(42);
        var pixels = new byte[32 * 32 * 4];
        foreach (var f in files)
        {
            random.NextBytes(pixels);
            for (var k = 3; k < pixels.Length; k += 4) pixels[k] = 255;
            using var image = MLImage.CreateFromPixels(32, 32, MLPixelFormat.Rgba32, pixels);
            image.Save(f);
        }
        return files;
    }
}
