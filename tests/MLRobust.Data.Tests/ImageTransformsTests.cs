using MLRobust.ML;
using MLRobust.ML.Data;
using MLRobust.ML.Transforms.Image;

namespace MLRobust.Data.Tests;

/// <summary>Point 5 (images): LoadImages, ResizeImages, ConvertToGrayscale, ExtractPixels, ConvertToImage, SaveImages.</summary>
public sealed class ImageTransformsTests : IClassFixture<ImageFixtures>
{
    private readonly ImageFixtures _files;

    public ImageTransformsTests(ImageFixtures files) => _files = files;

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }

    private sealed class ImageRow
    {
        public MLImage Image { get; set; } = null!;
    }

    private static IDataView Images(MLContext ml, params MLImage[] images) =>
        ml.Data.LoadFromEnumerable(images.Select(i => new ImageRow { Image = i }).ToList());

    private static byte[] Pixels(IDataView data, string column) => data.GetColumn<MLImage>(column).Single().Pixels.ToArray();

    [Fact]
    public void LoadImagesReadsRelativePathsFromTheFolder()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = "rgb.png" }, new PathRow { ImagePath = _files["gray.png"] } });
        var output = ml.Transforms.LoadImages("Image", _files.Folder, "ImagePath").Fit(data).Transform(data);
        Assert.Equal(new ImageDataViewType(), output.Schema["Image"].Type);
        var images = output.GetColumn<MLImage>("Image").ToArray();
        Assert.Equal(_files.Raw("rgb.png"), images[0].Pixels.ToArray());
        Assert.Equal(_files.Raw("gray.png"), images[1].Pixels.ToArray());
    }

    [Fact]
    public void LoadImagesNamesBrokenFilesAndWrongColumns()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new PathRow { ImagePath = "truncated.png" } });
        var output = ml.Transforms.LoadImages("Image", _files.Folder, "ImagePath").Fit(data).Transform(data);
        var error = Assert.Throws<InvalidDataException>(() => output.GetColumn<MLImage>("Image").ToList());
        Assert.Contains("truncated.png", error.Message);

        var numbers = ml.Data.LoadFromEnumerable(new[] { new FeatureRow() });
        var schema = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.LoadImages("Image", null, "Weight").Fit(numbers));
        Assert.Contains("Schema mismatch for input column 'Weight': expected String, got Single", schema.Message);
    }

    [Fact]
    public void BilinearResizeOfTwoByTwoToThreeByThreeMatchesHandComputation()
    {
        // Source [[0, 90], [180, 255]]. With centres aligned, output x maps to source (x + 0.5) * 2/3 - 0.5 =
        // -1/6 (clamped to 0), 1/2, 7/6 (clamped to 1): the middle row/column is the mean of its two neighbours.
        //   row 0: 0, 45, 90
        //   row 1: 90, (0 + 90 + 180 + 255) / 4 = 131.25 -> 131, (90 + 255) / 2 = 172.5 -> 173
        //   row 2: 180, 217.5 -> 218, 255
        var ml = new MLContext(1);
        var source = MLImage.CreateFromPixels(2, 2, MLPixelFormat.Gray8, new byte[] { 0, 90, 180, 255 });
        var data = Images(ml, source);
        var output = ml.Transforms.ResizeImages("Small", 3, 3, "Image", ImageResizingEstimator.ResizingKind.Fill).Fit(data).Transform(data);
        Assert.Equal(new ImageDataViewType(3, 3), output.Schema["Small"].Type);
        Assert.Equal(new byte[] { 0, 45, 90, 90, 131, 173, 180, 218, 255 }, Pixels(output, "Small"));
    }

    [Fact]
    public void EnlargingMatchesPilBilinear()
    {
        // RGB (opaque): PIL resamples RGBA premultiplied by alpha, which is a different operation.
        var ml = new MLContext(1);
        var data = Images(ml, MLImage.CreateFromFile(_files["rgb.png"]));
        var output = ml.Transforms.ResizeImages("Big", 23, 17, "Image", ImageResizingEstimator.ResizingKind.Fill).Fit(data).Transform(data);
        // Two references: PIL's BILINEAR, and the aligned-centre formula evaluated in float64 by numpy.
        var reference = PythonReference.Numbers("""
            from PIL import Image
            import numpy as np
            src = Image.open('rgb.png')
            pil = np.asarray(src.resize((23, 17), Image.BILINEAR).convert('RGBA')).astype(int)
            a = np.asarray(src.convert('RGBA')).astype(np.float64)
            def axis(n, m):
                f = np.clip((np.arange(m) + 0.5) * n / m - 0.5, 0, n - 1)
                lo = np.floor(f).astype(int)
                return lo, np.minimum(lo + 1, n - 1), f - lo
            y0, y1, wy = axis(a.shape[0], 17)
            x0, x1, wx = axis(a.shape[1], 23)
            wx = wx[None, :, None]; wy = wy[:, None, None]
            top = a[y0][:, x0] * (1 - wx) + a[y0][:, x1] * wx
            bottom = a[y1][:, x0] * (1 - wx) + a[y1][:, x1] * wx
            ref = np.floor(top * (1 - wy) + bottom * wy + 0.5).astype(int)
            print(' '.join(str(v) for v in pil.flatten()))
            print(' '.join(str(v) for v in ref.flatten()))
            """, _files.Folder);
        var ours = Pixels(output, "Big");
        var pil = reference.Take(ours.Length).ToArray();
        var formula = reference.Skip(ours.Length).ToArray();
        Assert.Equal(ours.Length, formula.Length);
        // PIL rounds to 8 bits between its horizontal and vertical passes: at most one level apart.
        Assert.All(Enumerable.Range(0, ours.Length), i => Assert.InRange(ours[i] - pil[i], -1, 1));
        // The float64 formula differs only where float32 lands on the other side of a .5 tie.
        Assert.All(Enumerable.Range(0, ours.Length), i => Assert.InRange(ours[i] - formula[i], -1, 1));
        var exact = Enumerable.Range(0, ours.Length).Count(i => ours[i] == formula[i]);
        Assert.True(exact >= ours.Length * 0.99, $"{exact} of {ours.Length} exact");
    }

    [Theory]
    [InlineData(ImageResizingEstimator.Anchor.Left, new byte[] { 0, 1, 4, 5 })]
    [InlineData(ImageResizingEstimator.Anchor.Center, new byte[] { 1, 2, 5, 6 })]
    [InlineData(ImageResizingEstimator.Anchor.Right, new byte[] { 2, 3, 6, 7 })]
    public void IsoCropKeepsTheAnchoredPart(ImageResizingEstimator.Anchor anchor, byte[] expected)
    {
        // A 4x2 image into 2x2: the scale is 1, so cropping keeps whole source columns.
        var ml = new MLContext(1);
        var data = Images(ml, MLImage.CreateFromPixels(4, 2, MLPixelFormat.Gray8, new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
        var output = ml.Transforms.ResizeImages("R", 2, 2, "Image", ImageResizingEstimator.ResizingKind.IsoCrop, anchor).Fit(data).Transform(data);
        Assert.Equal(expected, Pixels(output, "R"));
    }

    [Theory]
    [InlineData(ImageResizingEstimator.Anchor.Top, new byte[] { 10, 20, 30, 40, 50, 60, 70, 80, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(ImageResizingEstimator.Anchor.Center, new byte[] { 0, 0, 0, 0, 10, 20, 30, 40, 50, 60, 70, 80, 0, 0, 0, 0 })]
    [InlineData(ImageResizingEstimator.Anchor.Bottom, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 10, 20, 30, 40, 50, 60, 70, 80 })]
    public void IsoPadPlacesTheImageAtTheAnchor(ImageResizingEstimator.Anchor anchor, byte[] expected)
    {
        var ml = new MLContext(1);
        var data = Images(ml, MLImage.CreateFromPixels(4, 2, MLPixelFormat.Gray8, new byte[] { 10, 20, 30, 40, 50, 60, 70, 80 }));
        var output = ml.Transforms.ResizeImages("R", 4, 4, "Image", ImageResizingEstimator.ResizingKind.IsoPad, anchor).Fit(data).Transform(data);
        Assert.Equal(expected, Pixels(output, "R"));
    }

    [Fact]
    public void HalvingAveragesTwoByTwoBlocks()
    {
        // Shrinking by exactly 1/2 puts every output centre between four source pixels with weights 1/4 each
        // (source x = (x + 0.5) * 2 - 0.5 = 2x + 0.5), so 10x8 -> 5x4 is the 2x2 block mean, rounded half up.
        var ml = new MLContext(1);
        var pixels = Enumerable.Range(0, 80).Select(i => (byte)(i * 3)).ToArray();
        var data = Images(ml, MLImage.CreateFromPixels(10, 8, MLPixelFormat.Gray8, pixels));
        var output = ml.Transforms.ResizeImages("R", 5, 4, "Image", ImageResizingEstimator.ResizingKind.Fill).Fit(data).Transform(data);
        var expected = new byte[20];
        for (var y = 0; y < 4; y++)
        for (var x = 0; x < 5; x++)
        {
            var sum = pixels[2 * y * 10 + 2 * x] + pixels[2 * y * 10 + 2 * x + 1] + pixels[(2 * y + 1) * 10 + 2 * x] + pixels[(2 * y + 1) * 10 + 2 * x + 1];
            expected[y * 5 + x] = (byte)Math.Floor(sum / 4.0 + 0.5);
        }
        Assert.Equal(expected, Pixels(output, "R"));
    }

    [Fact]
    public void ConvertToGrayscaleMatchesPil()
    {
        var ml = new MLContext(1);
        var data = Images(ml, MLImage.CreateFromFile(_files["rgb.png"]));
        var output = ml.Transforms.ConvertToGrayscale("Gray", "Image").Fit(data).Transform(data);
        var pil = PythonReference.Numbers("""
            from PIL import Image
            import numpy as np
            print(' '.join(str(v) for v in np.asarray(Image.open('rgb.png').convert('L')).flatten()))
            """, _files.Folder);
        var gray = output.GetColumn<MLImage>("Gray").Single();
        Assert.Equal(MLPixelFormat.Gray8, gray.PixelFormat);
        Assert.Equal(pil, gray.Pixels.ToArray().Select(p => (double)p));
    }

    [Fact]
    public void ExtractPixelsSubtractsOffsetThenScalesInPlanarOrInterleavedLayout()
    {
        // Two RGBA pixels: (10, 20, 30, 255) and (40, 50, 60, 128).
        var ml = new MLContext(1);
        var image = MLImage.CreateFromPixels(2, 1, MLPixelFormat.Rgba32, new byte[] { 10, 20, 30, 255, 40, 50, 60, 128 });
        var data = ml.Transforms.ResizeImages("Image", 2, 1).Fit(Images(ml, image)).Transform(Images(ml, image));

        var planar = ml.Transforms.ExtractPixels("P", "Image", offsetImage: 10, scaleImage: 0.5f).Fit(data).Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3, 1, 2), planar.Schema["P"].Type);
        Assert.Equal(new[] { 0f, 15, 5, 20, 10, 25 }, planar.GetColumn<VBuffer<float>>("P").Single().ToArray());

        var interleaved = ml.Transforms.ExtractPixels("P", "Image", ImagePixelExtractingEstimator.ColorBits.All,
            ImagePixelExtractingEstimator.ColorsOrder.ABGR, interleavePixelColors: true).Fit(data).Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 2, 4), interleaved.Schema["P"].Type);
        Assert.Equal(new[] { 255f, 30, 20, 10, 128, 60, 50, 40 }, interleaved.GetColumn<VBuffer<float>>("P").Single().ToArray());

        var bytes = ml.Transforms.ExtractPixels("P", "Image", ImagePixelExtractingEstimator.ColorBits.Green, outputAsFloatArray: false).Fit(data).Transform(data);
        Assert.Equal(new byte[] { 20, 50 }, bytes.GetColumn<VBuffer<byte>>("P").Single().ToArray());

        var gray = ml.Transforms.ExtractPixels("P", "Image", ImagePixelExtractingEstimator.ColorBits.Gray).Fit(data).Transform(data);
        Assert.Equal(new[] { (float)MLImage.CreateFromPixels(1, 1, MLPixelFormat.Rgba32, new byte[] { 10, 20, 30, 255 }).ToGray8().Pixels[0], 48f },
            gray.GetColumn<VBuffer<float>>("P").Single().ToArray());
    }

    [Fact]
    public void ExtractPixelsNeedsAKnownSize()
    {
        var ml = new MLContext(1);
        var data = Images(ml, MLImage.CreateFromPixels(1, 1, MLPixelFormat.Gray8, new byte[] { 1 }));
        var error = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.ExtractPixels("P", "Image").Fit(data));
        Assert.Contains("Schema mismatch for input column 'Image': expected Image of known size", error.Message);
    }

    [Fact]
    public void ConvertToImageUndoesExtractPixels()
    {
        var ml = new MLContext(1);
        var source = MLImage.CreateFromFile(_files["rgb.png"]);
        var data = Images(ml, source);
        var pipeline = ml.Transforms.ResizeImages("Image", 10, 7)
            .Append(ml.Transforms.ExtractPixels("Features", "Image", offsetImage: 128, scaleImage: 1 / 128f))
            .Append(ml.Transforms.ConvertToImage(7, 10, "Back", "Features", scaleImage: 128, offsetImage: 128));
        var output = pipeline.Fit(data).Transform(data);
        var back = output.GetColumn<MLImage>("Back").Single();
        Assert.Equal(MLPixelFormat.Rgba32, back.PixelFormat);
        Assert.Equal(source.Pixels.ToArray(), back.Pixels.ToArray()); // rgb.png is opaque; alpha defaults to 255
    }

    [Fact]
    public void SaveImagesWritesPngsPilReadsBack()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var a = MLImage.CreateFromPixels(2, 1, MLPixelFormat.Gray8, new byte[] { 5, 250 });
        var b = MLImage.CreateFromPixels(2, 1, MLPixelFormat.Gray8, new byte[] { 7, 9 });
        var data = Images(ml, a, b);
        var output = ml.Transforms.SaveImages("Saved", folder.Path, "Image").Fit(data).Transform(data);
        var paths = output.GetColumn<ReadOnlyMemory<char>>("Saved").Select(m => m.ToString()).ToArray();
        Assert.Equal(new[] { "image_000000.png", "image_000001.png" }, paths.Select(Path.GetFileName));
        var read = PythonReference.Numbers("""
            from PIL import Image
            import numpy as np
            for n in ['image_000000.png', 'image_000001.png']:
                print(' '.join(str(v) for v in np.asarray(Image.open(n)).flatten()))
            """, folder.Path);
        Assert.Equal(new double[] { 5, 250, 7, 9 }, read);
    }
}
