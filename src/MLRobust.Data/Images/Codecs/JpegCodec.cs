namespace MLRobust.ML.Data.Codecs;

/// <summary>JPEG through TurboJPEG. Greyscale JPEGs decode to Gray8, colour ones to Rgba32.</summary>
internal static unsafe class JpegCodec
{
    private const string Library = "libturbojpeg.so.0";
    private const string Package = "libturbojpeg0";

    internal static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    internal static MLImage Decode(byte[] data, string source) =>
        NativeCodecLibrary.Call(Library, Package, () => DecodeCore(data, source));

    private static MLImage DecodeCore(byte[] data, string source)
    {
        var handle = LibTurboJpeg.tjInitDecompress();
        if (handle == IntPtr.Zero) throw new InvalidOperationException("TurboJPEG could not create a decompressor.");
        try
        {
            fixed (byte* input = data)
            {
                if (LibTurboJpeg.tjDecompressHeader3(handle, input, (nuint)data.Length, out var width, out var height, out var subsampling, out _) != 0)
                    throw Error(source, handle);
                ImageLimits.CheckDimensions(width, height, source);

                var isGray = subsampling == LibTurboJpeg.SubsamplingGray;
                var channels = isGray ? 1 : 4;
                var pixels = GC.AllocateUninitializedArray<byte>(checked(width * height * channels));
                fixed (byte* output = pixels)
                {
                    var result = LibTurboJpeg.tjDecompress2(handle, input, (nuint)data.Length, output, width, width * channels, height,
                        isGray ? LibTurboJpeg.PixelFormatGray : LibTurboJpeg.PixelFormatRgba, LibTurboJpeg.FlagAccurateDct);
                    if (result != 0 && !IsBenignWarning(handle))
                        throw Error(source, handle);
                }
                return MLImage.FromOwnedPixels(width, height, isGray ? MLPixelFormat.Gray8 : MLPixelFormat.Rgba32, pixels);
            }
        }
        finally
        {
            LibTurboJpeg.tjDestroy(handle);
        }
    }

    // libjpeg reports a few recoverable oddities (extraneous bytes before a marker) as warnings; those images
    // decode fully. A truncated file is also only a warning there, but its bottom is grey fill: an error for us.
    private static bool IsBenignWarning(IntPtr handle) =>
        LibTurboJpeg.tjGetErrorCode(handle) == LibTurboJpeg.ErrorWarning
        && !LibTurboJpeg.ErrorText(handle).Contains("Premature end", StringComparison.OrdinalIgnoreCase);

    internal static byte[] Encode(MLImage image, int quality) =>
        NativeCodecLibrary.Call(Library, Package, () => EncodeCore(image, quality));

    private static byte[] EncodeCore(MLImage image, int quality)
    {
        var (pixelFormat, subsampling) = image.PixelFormat switch
        {
            MLPixelFormat.Gray8 => (LibTurboJpeg.PixelFormatGray, LibTurboJpeg.SubsamplingGray),
            MLPixelFormat.Rgba32 => (LibTurboJpeg.PixelFormatRgba, LibTurboJpeg.Subsampling444),
            MLPixelFormat.Bgra32 => (LibTurboJpeg.PixelFormatBgra, LibTurboJpeg.Subsampling444),
            _ => throw new NotSupportedException($"JPEG encoding of pixel format {image.PixelFormat} is not supported."),
        };
        var handle = LibTurboJpeg.tjInitCompress();
        if (handle == IntPtr.Zero) throw new InvalidOperationException("TurboJPEG could not create a compressor.");
        byte* jpeg = null;
        try
        {
            nuint size = 0;
            fixed (byte* pixels = image.Pixels)
            {
                if (LibTurboJpeg.tjCompress2(handle, pixels, image.Width, 0, image.Height, pixelFormat, &jpeg, &size, subsampling, quality, LibTurboJpeg.FlagAccurateDct) != 0)
                    throw new InvalidOperationException($"JPEG encoding failed: {LibTurboJpeg.ErrorText(handle)}");
            }
            return new ReadOnlySpan<byte>(jpeg, checked((int)size)).ToArray();
        }
        finally
        {
            if (jpeg != null) LibTurboJpeg.tjFree(jpeg);
            LibTurboJpeg.tjDestroy(handle);
        }
    }

    private static InvalidDataException Error(string source, IntPtr handle) =>
        new($"Image '{source}' is not a valid JPEG: {LibTurboJpeg.ErrorText(handle)}.");
}
