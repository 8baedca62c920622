using MLRobust.ML.Data.Codecs;

namespace MLRobust.ML.Data;

/// <summary>
/// A decoded image held in managed memory: the raw type of <c>ImageDataViewType</c> columns.
/// PNG and JPEG are decoded by the system libpng and libturbojpeg. Greyscale files (without alpha) load
/// as <see cref="MLPixelFormat.Gray8"/>, all others as <see cref="MLPixelFormat.Rgba32"/>.
/// </summary>
public sealed class MLImage : IDisposable
{
    // Encoded files larger than this are refused before reading them whole.
    private const long MaxEncodedBytes = 1L << 30;

    private byte[]? _pixels;

    private MLImage(int width, int height, MLPixelFormat pixelFormat, byte[] pixels)
    {
        Width = width;
        Height = height;
        PixelFormat = pixelFormat;
        _pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public MLPixelFormat PixelFormat { get; }
    public int BitsPerPixel => BytesPerPixel(PixelFormat) * 8;

    /// <summary>The pixels, row-major without padding, <see cref="BitsPerPixel"/>/8 bytes each.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels ?? throw new ObjectDisposedException(nameof(MLImage));

    /// <summary>A free-form label, e.g. the file the image came from.</summary>
    public string? Tag { get; set; }

    public static MLImage CreateFromFile(string imagePath)
    {
        if (string.IsNullOrEmpty(imagePath)) throw new ArgumentException("The image path is empty.", nameof(imagePath));
        if (!File.Exists(imagePath)) throw new FileNotFoundException($"Image file '{imagePath}' does not exist.", imagePath);
        byte[] data;
        using (var file = new FileStream(imagePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            if (file.Length > MaxEncodedBytes)
                throw new InvalidDataException($"Image '{imagePath}' is {file.Length} bytes, more than the {MaxEncodedBytes} bytes supported.");
            data = new byte[file.Length];
            file.ReadExactly(data);
        }
        var image = Decode(data, imagePath);
        image.Tag = imagePath;
        return image;
    }

    public static MLImage CreateFromStream(Stream imageStream)
    {
        ArgumentNullException.ThrowIfNull(imageStream);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = imageStream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxEncodedBytes)
                throw new InvalidDataException($"Image stream is more than the {MaxEncodedBytes} bytes supported.");
            buffer.Write(chunk, 0, read);
        }
        return Decode(buffer.ToArray(), "stream");
    }

    /// <summary>Copies <paramref name="imagePixelData"/> (row-major, no padding) into a new image.</summary>
    public static MLImage CreateFromPixels(int width, int height, MLPixelFormat pixelFormat, ReadOnlySpan<byte> imagePixelData)
    {
        if (pixelFormat is not (MLPixelFormat.Bgra32 or MLPixelFormat.Rgba32 or MLPixelFormat.Gray8))
            throw new ArgumentException($"Unsupported pixel format {pixelFormat}.", nameof(pixelFormat));
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be positive.");
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "The height must be positive.");
        if ((long)width * height > ImageLimits.MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} is larger than the supported {ImageLimits.MaxPixels} pixels.");
        var expected = (long)width * height * BytesPerPixel(pixelFormat);
        if (imagePixelData.Length != expected)
            throw new ArgumentException($"A {width}x{height} {pixelFormat} image needs {expected} bytes of pixel data, got {imagePixelData.Length}.", nameof(imagePixelData));
        return new MLImage(width, height, pixelFormat, imagePixelData.ToArray());
    }

    /// <summary>Takes ownership of <paramref name="pixels"/> without copying (callers inside the library only).</summary>
    internal static MLImage FromOwnedPixels(int width, int height, MLPixelFormat pixelFormat, byte[] pixels)
    {
        if (pixels.Length != (long)width * height * BytesPerPixel(pixelFormat))
            throw new ArgumentException($"A {width}x{height} {pixelFormat} image needs {(long)width * height * BytesPerPixel(pixelFormat)} bytes, got {pixels.Length}.", nameof(pixels));
        return new MLImage(width, height, pixelFormat, pixels);
    }

    /// <summary>The pixel array itself (callers inside the library only; never mutate a shared image).</summary>
    internal byte[] PixelArray => _pixels ?? throw new ObjectDisposedException(nameof(MLImage));

    /// <summary>Writes the image to <paramref name="imagePath"/> atomically (a temporary file, then a rename).
    /// <paramref name="quality"/> is the JPEG quality, 1 to 100; PNG ignores it.</summary>
    public void Save(string imagePath, MLImageEncodedFormat format = MLImageEncodedFormat.Png, int quality = 100)
    {
        if (string.IsNullOrEmpty(imagePath)) throw new ArgumentException("The image path is empty.", nameof(imagePath));
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality must be between 1 and 100.");
        var bytes = Encode(format, quality);
        AtomicFile.WriteAllBytes(imagePath, bytes);
    }

    /// <summary>The encoded file bytes.</summary>
    public byte[] Encode(MLImageEncodedFormat format = MLImageEncodedFormat.Png, int quality = 100)
    {
        _ = Pixels;
        return format switch
        {
            MLImageEncodedFormat.Png => PngCodec.Encode(this),
            MLImageEncodedFormat.Jpeg => JpegCodec.Encode(this, quality),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
        };
    }

    /// <summary>A greyscale copy: L = (19595 R + 38470 G + 7471 B + 32768) >> 16, ITU-R 601 luma as PIL computes it. Alpha is dropped.</summary>
    public MLImage ToGray8()
    {
        var source = PixelArray;
        if (PixelFormat == MLPixelFormat.Gray8) return Copy(MLPixelFormat.Gray8, (byte[])source.Clone());
        var (r, b) = PixelFormat == MLPixelFormat.Rgba32 ? (0, 2) : (2, 0);
        var gray = GC.AllocateUninitializedArray<byte>(Width * Height);
        for (int i = 0, p = 0; i < gray.Length; i++, p += 4)
            gray[i] = Luma(source[p + r], source[p + 1], source[p + b]);
        return Copy(MLPixelFormat.Gray8, gray);
    }

    /// <summary>An RGBA copy; grey expands to R = G = B with opaque alpha.</summary>
    public MLImage ToRgba32() => ToFourChannels(MLPixelFormat.Rgba32);

    /// <summary>A BGRA copy; grey expands to R = G = B with opaque alpha.</summary>
    public MLImage ToBgra32() => ToFourChannels(MLPixelFormat.Bgra32);

    internal static byte Luma(byte r, byte g, byte b) => (byte)((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);

    internal static int BytesPerPixel(MLPixelFormat format) => format switch
    {
        MLPixelFormat.Gray8 => 1,
        MLPixelFormat.Rgba32 or MLPixelFormat.Bgra32 => 4,
        _ => 0,
    };

    public void Dispose() => _pixels = null;

    public override string ToString() => $"MLImage {Width}x{Height} {PixelFormat}{(Tag is null ? "" : " " + Tag)}";

    private MLImage ToFourChannels(MLPixelFormat target)
    {
        var source = PixelArray;
        var output = GC.AllocateUninitializedArray<byte>(Width * Height * 4);
        if (PixelFormat == MLPixelFormat.Gray8)
        {
            for (int i = 0, p = 0; i < source.Length; i++, p += 4)
            {
                output[p] = output[p + 1] = output[p + 2] = source[i];
                output[p + 3] = 255;
            }
        }
        else if (PixelFormat == target)
        {
            source.CopyTo(output, 0);
        }
        else
        {
            for (var p = 0; p < output.Length; p += 4)
            {
                output[p] = source[p + 2];
                output[p + 1] = source[p + 1];
                output[p + 2] = source[p];
                output[p + 3] = source[p + 3];
            }
        }
        return Copy(target, output);
    }

    private MLImage Copy(MLPixelFormat format, byte[] pixels) => new(Width, Height, format, pixels) { Tag = Tag };

    private static MLImage Decode(byte[] data, string source)
    {
        if (data.Length == 0) throw new InvalidDataException($"Image '{source}' is empty.");
        if (PngCodec.IsPng(data)) return PngCodec.Decode(data, source);
        if (JpegCodec.IsJpeg(data)) return JpegCodec.Decode(data, source);
        throw new InvalidDataException($"Image '{source}' is neither a PNG nor a JPEG file (unsupported or corrupt image).");
    }
}
