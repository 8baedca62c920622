namespace MLRobust.ML.Data.Codecs;

/// <summary>PNG through libpng's simplified API. Grey without alpha decodes to Gray8, all else to Rgba32
/// (palette, grey+alpha, RGB, 16-bit: libpng converts).</summary>
internal static unsafe class PngCodec
{
    private const string Library = "libpng16.so.16";
    private const string Package = "libpng16-16";

    internal static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    internal static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    internal static MLImage Decode(byte[] data, string source) =>
        NativeCodecLibrary.Call(Library, Package, () => DecodeCore(data, source));

    private static MLImage DecodeCore(byte[] data, string source)
    {
        var image = new LibPng.PngImage { Version = LibPng.ImageVersion };
        fixed (byte* input = data)
        {
            try
            {
                if (LibPng.BeginReadFromMemory(&image, input, (nuint)data.Length) == 0 || image.Failed)
                    throw Error(source, image);
                ImageLimits.CheckDimensions(image.Width, image.Height, source);

                var isGray = (image.Format & (LibPng.FormatFlagColor | LibPng.FormatFlagAlpha)) == 0
                             && (image.Format & 0x08) == 0; // a colour-mapped image may hold colour
                var format = isGray ? MLPixelFormat.Gray8 : MLPixelFormat.Rgba32;
                var channels = isGray ? 1 : 4;
                image.Format = isGray ? LibPng.FormatGray : LibPng.FormatRgba;
                // Without this libpng takes untagged 16-bit data as linear light and gamma-encodes it on the way
                // to 8 bits; PNG files in the wild (and PIL, OpenCV) treat it as already sRGB-encoded.
                image.Flags |= LibPng.Flag16BitSrgb;
                var width = (int)image.Width;
                var height = (int)image.Height;
                var pixels = GC.AllocateUninitializedArray<byte>(checked(width * height * channels));
                fixed (byte* output = pixels)
                {
                    if (LibPng.FinishRead(&image, IntPtr.Zero, output, width * channels, IntPtr.Zero) == 0 || image.Failed)
                        throw Error(source, image);
                }
                return MLImage.FromOwnedPixels(width, height, format, pixels);
            }
            finally
            {
                LibPng.Free(&image);
            }
        }
    }

    internal static byte[] Encode(MLImage image) =>
        NativeCodecLibrary.Call(Library, Package, () => EncodeCore(image));

    private static byte[] EncodeCore(MLImage source)
    {
        var image = new LibPng.PngImage
        {
            Version = LibPng.ImageVersion,
            Width = (uint)source.Width,
            Height = (uint)source.Height,
            Format = source.PixelFormat switch
            {
                MLPixelFormat.Gray8 => LibPng.FormatGray,
                MLPixelFormat.Rgba32 => LibPng.FormatRgba,
                MLPixelFormat.Bgra32 => LibPng.FormatBgra,
                _ => throw new NotSupportedException($"PNG encoding of pixel format {source.PixelFormat} is not supported."),
            },
        };
        var stride = source.Width * source.BitsPerPixel / 8;
        fixed (byte* pixels = source.Pixels)
        {
            try
            {
                nuint size = 0;
                // A null buffer asks for the encoded size first.
                if (LibPng.WriteToMemory(&image, null, &size, 0, pixels, stride, IntPtr.Zero) == 0 || image.Failed)
                    throw new InvalidOperationException($"PNG encoding failed: {image.MessageText}");
                var output = new byte[checked((int)size)];
                fixed (byte* o = output)
                {
                    if (LibPng.WriteToMemory(&image, o, &size, 0, pixels, stride, IntPtr.Zero) == 0 || image.Failed)
                        throw new InvalidOperationException($"PNG encoding failed: {image.MessageText}");
                }
                return size == (nuint)output.Length ? output : output.AsSpan(0, (int)size).ToArray();
            }
            finally
            {
                LibPng.Free(&image);
            }
        }
    }

    private static InvalidDataException Error(string source, in LibPng.PngImage image) =>
        new($"Image '{source}' is not a valid PNG: {(image.MessageText is { Length: > 0 } m ? m : "libpng could not decode it")}.");
}
