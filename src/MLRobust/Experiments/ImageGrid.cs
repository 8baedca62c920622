using MLRobust.Rendering.Images;
using MLRobust.MLNet;
using Microsoft.ML.Data;

namespace MLRobust.Experiments;

/// <summary>Lays square greyscale images (floats in [0,1]) out as a grid and saves it as a PNG: the
/// pictures a person looks at (renders, adversarial examples).</summary>
public static class ImageGrid
{
    public static void Save(string path, IReadOnlyList<float[]> images, int size, int columns, int gap = 2, byte background = 255)
    {
        if (images.Count == 0) throw new ArgumentException("no images to lay out", nameof(images));
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "at least one column");
        var rows = (images.Count + columns - 1) / columns;
        var width = columns * size + (columns + 1) * gap;
        var height = rows * size + (rows + 1) * gap;
        var pixels = new byte[width * height];
        Array.Fill(pixels, background);
        for (var k = 0; k < images.Count; k++)
        {
            var image = images[k];
            if (image.Length != size * size) throw new ArgumentException($"image {k} has {image.Length} values, expected {size * size}", nameof(images));
            var x0 = gap + (k % columns) * (size + gap);
            var y0 = gap + (k / columns) * (size + gap);
            for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                    pixels[(y0 + y) * width + x0 + x] = (byte)Math.Round(Math.Clamp(image[y * size + x], 0f, 1f) * 255);
        }
        ImageFiles.SaveGreyPng(path, width, height, pixels);
    }

    /// <summary>|a − b| scaled so the largest difference is white: where an attack changed the image.</summary>
    public static float[] Difference(float[] a, float[] b)
    {
        var d = new float[a.Length];
        var max = 1e-6f;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, d[i] = Math.Abs(a[i] - b[i]));
        for (var i = 0; i < a.Length; i++) d[i] /= max;
        return d;
    }
}
