using MLRobust.Rendering.Images;
using Microsoft.ML.Data;
using MLRobust.Rendering.Models;
using MLRobust.Rendering.Scenes;

namespace MLRobust.Rendering.Tests;

public class GalleryTests
{
    [Fact]
    public void Committed_contact_sheet_is_what_the_code_makes()
    {
        var committed = Path.Combine(BuiltInModelTests.RepoRoot(), "renders", "gallery", "contact-sheet.png");
        Assert.True(File.Exists(committed), $"{committed} is missing; run: mlrobust render --gallery renders/gallery/contact-sheet.png");
        using var image = MLImage.CreateFromFile(committed);
        int columns = Gallery.Poses.Count + 1, rows = BuiltInModels.Names.Count;
        Assert.Equal(columns * Gallery.TileSize + (columns + 1) * Gallery.Gap, image.Width);
        Assert.Equal(rows * Gallery.TileSize + (rows + 1) * Gallery.Gap, image.Height);
        // Pixels, not bytes: PNG encoders (libpng before, Skia now) may compress the same pixels differently.
        var (_, _, expected) = Gallery.Render();
        Assert.True(ImageFiles.Luma(image).AsSpan().SequenceEqual(expected),
            "renders/gallery/contact-sheet.png is stale; regenerate it with: mlrobust render --gallery renders/gallery/contact-sheet.png");
    }

    [Fact]
    public void Write_creates_the_folder_and_an_atomic_png()
    {
        using var temp = new TempFolder();
        var path = temp["a/b/sheet.png"];
        Gallery.Write(path);
        using var image = MLImage.CreateFromFile(path);
        var luma = ImageFiles.Luma(image);
        // The first tile is the monkey over black: its corner is black, its centre is not.
        int g = Gallery.Gap, t = Gallery.TileSize;
        Assert.Equal(0, luma[(g + 1) * image.Width + g + 1]);
        Assert.True(luma[(g + t / 2) * image.Width + g + t / 2] > 40);
        Assert.Empty(Directory.GetFiles(temp["a/b"], "*.tmp"));
    }
}
