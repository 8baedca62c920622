using MLRobust.ML.Data;

namespace MLRobust.Data.Tests;

/// <summary>Point 5 (LoadImages' codec): decoding PNG and JPEG through libpng/libturbojpeg, checked against PIL.</summary>
public sealed class MLImageTests : IClassFixture<ImageFixtures>
{
    private readonly ImageFixtures _files;

    public MLImageTests(ImageFixtures files) => _files = files;

    [Theory]
    [InlineData("rgba.png")]
    [InlineData("rgb.png")]
    [InlineData("la.png")]
    [InlineData("palette.png")]
    public void ColourPngsDecodeToRgbaLikePil(string name)
    {
        using var image = MLImage.CreateFromFile(_files[name]);
        Assert.Equal((10, 7, MLPixelFormat.Rgba32, 32), (image.Width, image.Height, image.PixelFormat, image.BitsPerPixel));
        Assert.Equal(_files.Raw(name), image.Pixels.ToArray());
        Assert.Equal(_files[name], image.Tag);
    }

    [Theory]
    [InlineData("gray.png")]
    [InlineData("gray16.png")]
    public void GreyPngsDecodeToGray8LikePil(string name)
    {
        using var image = MLImage.CreateFromFile(_files[name]);
        Assert.Equal((10, 7, MLPixelFormat.Gray8), (image.Width, image.Height, image.PixelFormat));
        Assert.Equal(_files.Raw(name), image.Pixels.ToArray());
    }

    [Theory]
    [InlineData("rgb.jpg", MLPixelFormat.Rgba32)]
    [InlineData("gray.jpg", MLPixelFormat.Gray8)]
    public void JpegsDecodeLikePil(string name, MLPixelFormat format)
    {
        using var image = MLImage.CreateFromFile(_files[name]);
        Assert.Equal((10, 7, format), (image.Width, image.Height, image.PixelFormat));
        // PIL links the same libjpeg family with the same (islow) IDCT; allow one level for upsampling differences.
        var expected = _files.Raw(name);
        var actual = image.Pixels.ToArray();
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(Enumerable.Range(0, actual.Length), i => Assert.InRange(actual[i] - expected[i], -1, 1));
    }

    [Fact]
    public void StreamsDecodeLikeFiles()
    {
        using var stream = File.OpenRead(_files["rgb.png"]);
        using var image = MLImage.CreateFromStream(stream);
        Assert.Equal(_files.Raw("rgb.png"), image.Pixels.ToArray());
    }

    [Theory]
    [InlineData("truncated.png")]
    [InlineData("truncated.jpg")]
    [InlineData("garbage.png")]
    [InlineData("text.png")]
    [InlineData("empty.png")]
    [InlineData("huge.png")]
    [InlineData("tampered.png")]
    public void BrokenImagesThrowNamingTheFile(string name)
    {
        var error = Assert.Throws<InvalidDataException>(() => MLImage.CreateFromFile(_files[name]));
        Assert.Contains(_files[name], error.Message);
    }

    [Fact]
    public void BrokenStreamsSayStream()
    {
        using var stream = new MemoryStream(new byte[] { 1, 2, 3 });
        var error = Assert.Throws<InvalidDataException>(() => MLImage.CreateFromStream(stream));
        Assert.Contains("'stream'", error.Message);
    }

    [Fact]
    public void HugeHeadersAreRefusedBeforeAllocating()
    {
        var error = Assert.Throws<InvalidDataException>(() => MLImage.CreateFromFile(_files["huge.png"]));
        Assert.Contains("100000x100000", error.Message);
    }

    [Fact]
    public void MissingFilesThrowFileNotFound()
    {
        var path = _files["does-not-exist.png"];
        var error = Assert.Throws<FileNotFoundException>(() => MLImage.CreateFromFile(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void SavedPngsReadBackInPilExactly()
    {
        using var folder = new TempFolder();
        var pixels = new byte[3 * 2 * 4];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 11);
        using (var rgba = MLImage.CreateFromPixels(3, 2, MLPixelFormat.Rgba32, pixels)) rgba.Save(folder.File("rgba.png"));
        using (var bgra = MLImage.CreateFromPixels(3, 2, MLPixelFormat.Bgra32, pixels)) bgra.Save(folder.File("bgra.png"));
        using (var gray = MLImage.CreateFromPixels(3, 2, MLPixelFormat.Gray8, pixels.AsSpan(0, 6))) gray.Save(folder.File("gray.png"));

        var read = PythonReference.Numbers("""
            from PIL import Image
            import numpy as np
            for n in ['rgba.png', 'bgra.png', 'gray.png']:
                im = Image.open(n)
                print(' '.join(str(v) for v in np.asarray(im).flatten()))
            """, folder.Path);
        Assert.Equal(pixels.Select(p => (double)p), read.Take(24));
        // BGRA input: PIL reads RGBA, so channels 0 and 2 of each pixel are swapped.
        var swapped = new double[24];
        for (var p = 0; p < 24; p += 4) { swapped[p] = pixels[p + 2]; swapped[p + 1] = pixels[p + 1]; swapped[p + 2] = pixels[p]; swapped[p + 3] = pixels[p + 3]; }
        Assert.Equal(swapped, read.Skip(24).Take(24));
        Assert.Equal(pixels.Take(6).Select(p => (double)p), read.Skip(48));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void SavedJpegsDecodeInPilCloseToTheOriginal()
    {
        using var folder = new TempFolder();
        using var source = MLImage.CreateFromFile(_files["rgb.png"]);
        source.Save(folder.File("out.jpg"), MLImageEncodedFormat.Jpeg, quality: 100);
        var pil = PythonReference.Numbers("""
            from PIL import Image
            import numpy as np
            im = Image.open('out.jpg'); assert im.format == 'JPEG', im.format
            print(' '.join(str(v) for v in np.asarray(im.convert('RGBA')).flatten()))
            """, folder.Path);
        var original = source.Pixels.ToArray();
        Assert.Equal(original.Length, pil.Length);
        Assert.All(Enumerable.Range(0, original.Length), i => Assert.InRange(pil[i] - original[i], -6, 6));
    }

    [Fact]
    public void GreyConversionMatchesPil()
    {
        using var source = MLImage.CreateFromFile(_files["rgb.png"]);
        using var gray = source.ToGray8();
        var pil = PythonReference.Numbers("""
            from PIL import Image
            import numpy as np
            print(' '.join(str(v) for v in np.asarray(Image.open('rgb.png').convert('L')).flatten()))
            """, _files.Folder);
        Assert.Equal(MLPixelFormat.Gray8, gray.PixelFormat);
        Assert.Equal(pil, gray.Pixels.ToArray().Select(p => (double)p));
    }

    [Fact]
    public void ToRgba32ExpandsGreyAndSwapsBgra()
    {
        using var gray = MLImage.CreateFromPixels(2, 1, MLPixelFormat.Gray8, new byte[] { 10, 200 });
        using var rgba = gray.ToRgba32();
        Assert.Equal(new byte[] { 10, 10, 10, 255, 200, 200, 200, 255 }, rgba.Pixels.ToArray());
        using var bgra = MLImage.CreateFromPixels(1, 1, MLPixelFormat.Bgra32, new byte[] { 1, 2, 3, 4 });
        using var converted = bgra.ToRgba32();
        Assert.Equal(new byte[] { 3, 2, 1, 4 }, converted.Pixels.ToArray());
    }

    [Fact]
    public void CreateFromPixelsValidatesItsArguments()
    {
        Assert.Throws<ArgumentException>(() => MLImage.CreateFromPixels(2, 2, MLPixelFormat.Rgba32, new byte[15]));
        Assert.Throws<ArgumentException>(() => MLImage.CreateFromPixels(2, 2, MLPixelFormat.Unknown, new byte[16]));
        Assert.Throws<ArgumentOutOfRangeException>(() => MLImage.CreateFromPixels(0, 2, MLPixelFormat.Gray8, Array.Empty<byte>()));
    }

    [Fact]
    public void DisposedImagesRefuseAccess()
    {
        var image = MLImage.CreateFromPixels(1, 1, MLPixelFormat.Gray8, new byte[] { 1 });
        image.Dispose();
        Assert.Throws<ObjectDisposedException>(() => image.Pixels.Length);
    }
}
