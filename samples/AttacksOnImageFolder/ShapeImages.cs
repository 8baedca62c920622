using Microsoft.ML.Data;

namespace MLRobust.Samples.AttacksOnImageFolder;

/// <summary>Writes a small image folder to try the sample on: one sub-folder per class (disc, square, triangle) of
/// noisy grey PNGs, each shape at a random place, size and contrast.</summary>
public static class ShapeImages
{
    public static readonly string[] Classes = { "disc", "square", "triangle" };

    public static string Write(string folder, int imagesPerClass, int size = 48, int seed = 1)
    {
        var random = new Random(seed);
        foreach (var shape in Classes)
        {
            Directory.CreateDirectory(Path.Combine(folder, shape));
            for (var i = 0; i < imagesPerClass; i++)
            {
                double cx = size * (0.35 + 0.3 * random.NextDouble()), cy = size * (0.35 + 0.3 * random.NextDouble());
                double r = size * (0.18 + 0.1 * random.NextDouble());
                int background = random.Next(0, 110), foreground = random.Next(150, 256);
                var rgba = new byte[size * size * 4];
                for (var y = 0; y < size; y++)
                for (var x = 0; x < size; x++)
                {
                    double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                    var inside = shape switch
                    {
                        "disc" => dx * dx + dy * dy <= r * r,
                        "square" => Math.Abs(dx) <= 0.85 * r && Math.Abs(dy) <= 0.85 * r,
                        _ => dy >= -r && dy <= r && Math.Abs(dx) <= (dy + r) / 2, // apex up
                    };
                    var grey = (byte)Math.Clamp((inside ? foreground : background) + random.Next(-25, 26), 0, 255);
                    var p = (y * size + x) * 4;
                    (rgba[p], rgba[p + 1], rgba[p + 2], rgba[p + 3]) = (grey, grey, grey, 255);
                }
                using var image = MLImage.CreateFromPixels(size, size, MLPixelFormat.Rgba32, rgba);
                image.Save(Path.Combine(folder, shape, $"{shape}-{i:D3}.png"));
            }
        }
        return folder;
    }
}
