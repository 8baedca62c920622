using MLRobust.Rendering.Images;
using Microsoft.ML.Data;
using MLRobust.Rendering.Backgrounds;
using MLRobust.Rendering.Models;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Scenes;

/// <summary>
/// The contact sheet in renders/gallery/: each built-in model (one per row) at fixed poses (one per
/// column) over procedural backgrounds, with the clean render over black in the first column.
/// Made by <c>mlrobust render --gallery FILE</c>; a test checks the committed sheet equals a fresh one.
/// </summary>
public static class Gallery
{
    /// <summary>Tile side in pixels.</summary>
    public const int TileSize = 96;

    /// <summary>Gap between tiles, in pixels.</summary>
    public const int Gap = 4;

    /// <summary>The poses of the columns: rest, then turns about Y, X and Z, then mixed turns at the edge of the ±0.5 rad range.</summary>
    public static IReadOnlyList<Pose> Poses { get; } =
    [
        new(0, 0, 0),
        new(0, 0.5f, 0),
        new(0, -0.5f, 0),
        new(0.5f, 0, 0),
        new(-0.5f, 0, 0),
        new(0, 0, 0.5f),
        new(0.3f, -0.4f, -0.25f),
        new(-0.35f, 0.45f, 0.3f),
    ];

    /// <summary>The sheet as 8-bit grey pixels (one byte each) with its width and height.</summary>
    public static (int Width, int Height, byte[] Pixels) Render()
    {
        var models = BuiltInModels.CreateAll();
        int columns = Poses.Count + 1, rows = models.Count;
        int width = columns * TileSize + (columns + 1) * Gap, height = rows * TileSize + (rows + 1) * Gap;
        var sheet = new byte[width * height];
        Array.Fill(sheet, (byte)255);
        var rasterizer = new Rasterizer(new RenderOptions { Width = TileSize, Height = TileSize, Supersampling = 4 });
        int n = TileSize * TileSize;
        float[] intensity = new float[n], alpha = new float[n], background = new float[n], tile = new float[n];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                var pose = c == 0 ? Pose.Identity : Poses[c - 1];
                rasterizer.Render(models[r], pose, intensity, alpha);
                if (c == 0) background.AsSpan().Clear();
                else ProceduralBackground.Default.Fill(background, TileSize, TileSize, (ulong)(r * 100 + c));
                Compositing.Composite(intensity, alpha, background, tile);
                int x0 = Gap + c * (TileSize + Gap), y0 = Gap + r * (TileSize + Gap);
                for (int y = 0; y < TileSize; y++)
                    for (int x = 0; x < TileSize; x++)
                        sheet[(y0 + y) * width + x0 + x] = (byte)Math.Clamp(MathF.Round(tile[y * TileSize + x] * 255), 0, 255);
            }
        return (width, height, sheet);
    }

    /// <summary>The sheet as PNG bytes.</summary>
    public static byte[] EncodePng()
    {
        var (w, h, pixels) = Render();
        return ImageFiles.EncodeGreyPng(w, h, pixels);
    }

    /// <summary>Writes the sheet to <paramref name="path"/> (PNG, atomically), creating its folder.</summary>
    public static void Write(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var (w, h, pixels) = Render();
        ImageFiles.SaveGreyPng(path, w, h, pixels);
    }
}
