using Microsoft.ML.Data;

namespace MLRobust.Rendering.Images;

/// <summary>
/// Image files through ImageAnalytics' <see cref="MLImage"/> (SkiaSharp): decoding to 8-bit luma or RGBA, and PNG
/// writing, atomically (MLImage can only save to a path, and picks the format from the extension).
/// </summary>
internal static class ImageFiles
{
    /// <summary>Decodes an image file (PNG, JPEG, BMP, GIF, WebP: whatever Skia reads) through <see cref="MLImage"/>;
    /// an unreadable or undecodable file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static MLImage Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        CheckSize(path);
        try
        {
            return MLImage.CreateFromFile(path);
        }
        catch (ArgumentException e)
        {
            // MLImage says "Invalid path" for a file Skia can't decode.
            throw new InvalidDataException($"'{path}' is not an image MLImage can decode (PNG, JPEG, BMP, GIF, WebP).", e);
        }
    }

    /// <summary>The most pixels an image file may declare (64 megapixels: 256 MiB decoded): MLImage decodes the whole image
    /// before anything can look at it, so a small file that declares a huge image is refused from its header first.</summary>
    public const long MaxPixels = 64L << 20;

    private static void CheckSize(string path)
    {
        // Skia's codec reads the header only (ImageAnalytics decodes with the same library).
        using var codec = SkiaSharp.SKCodec.Create(path)
            ?? throw new InvalidDataException($"'{path}' is not an image MLImage can decode (PNG, JPEG, BMP, GIF, WebP).");
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
            throw new InvalidDataException($"'{path}' declares a {width}x{height} image, more than the {MaxPixels >> 20} megapixels MLRobust decodes.");
    }

    /// <summary>8-bit luma of every pixel, L = (19595 R + 38470 G + 7471 B + 32768) >> 16 (ITU-R 601, as PIL computes it); alpha is dropped.</summary>
    public static byte[] Luma(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (r, b) = Channels(image);
        var source = image.Pixels;
        var luma = GC.AllocateUninitializedArray<byte>(image.Width * image.Height);
        for (int i = 0, p = 0; i < luma.Length; i++, p += 4)
            luma[i] = (byte)((19595 * source[p + r] + 38470 * source[p + 1] + 7471 * source[p + b] + 32768) >> 16);
        return luma;
    }

    /// <summary>The pixels as R, G, B, A bytes (row-major). Skia decodes images with alpha premultiplied.</summary>
    public static byte[] Rgba(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (r, b) = Channels(image);
        var source = image.Pixels;
        var rgba = GC.AllocateUninitializedArray<byte>(source.Length);
        for (int p = 0; p < rgba.Length; p += 4)
        {
            rgba[p] = source[p + r];
            rgba[p + 1] = source[p + 1];
            rgba[p + 2] = source[p + b];
            rgba[p + 3] = source[p + 3];
        }
        return rgba;
    }

    /// <summary>Writes a greyscale image (one byte per pixel) as an opaque PNG, atomically.</summary>
    public static void SaveGreyPng(string path, int width, int height, ReadOnlySpan<byte> grey)
    {
        var rgba = GreyToRgba(width, height, grey);
        SavePng(path, width, height, rgba);
    }

    /// <summary>Writes R, G, B, A bytes as a PNG, atomically.</summary>
    public static void SavePng(string path, int width, int height, byte[] rgba)
    {
        if (!string.Equals(Path.GetExtension(path), ".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{path}' must end in .png.", nameof(path));
        AtomicWrite.Write(path, temp =>
        {
            using var image = MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgba32, rgba);
            image.Save(temp);
        });
    }

    /// <summary>The bytes of a PNG file of R, G, B, A pixels (MLImage encodes only to files: a private temporary one).</summary>
    public static byte[] EncodePng(int width, int height, byte[] rgba)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"mlrobust-{Guid.NewGuid():N}.png");
        try
        {
            using (var image = MLImage.CreateFromPixels(width, height, MLPixelFormat.Rgba32, rgba)) image.Save(temp);
            return File.ReadAllBytes(temp);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>The PNG bytes of a greyscale image.</summary>
    public static byte[] EncodeGreyPng(int width, int height, ReadOnlySpan<byte> grey) => EncodePng(width, height, GreyToRgba(width, height, grey));

    private static byte[] GreyToRgba(int width, int height, ReadOnlySpan<byte> grey)
    {
        if (width < 1 || height < 1 || grey.Length != width * height)
            throw new ArgumentException($"{grey.Length} grey values do not make a {width}x{height} image.", nameof(grey));
        var rgba = new byte[grey.Length * 4];
        for (int i = 0, p = 0; i < grey.Length; i++, p += 4)
        {
            rgba[p] = rgba[p + 1] = rgba[p + 2] = grey[i];
            rgba[p + 3] = 255;
        }
        return rgba;
    }

    private static (int R, int B) Channels(MLImage image) => image.PixelFormat switch
    {
        MLPixelFormat.Rgba32 => (0, 2),
        MLPixelFormat.Bgra32 => (2, 0),
        var other => throw new InvalidDataException($"Unsupported pixel format {other}."),
    };
}
