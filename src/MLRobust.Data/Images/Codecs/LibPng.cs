using System.Runtime.InteropServices;

namespace MLRobust.ML.Data.Codecs;

/// <summary>The system libpng's simplified API (png.h, PNG_IMAGE_VERSION 1): no setjmp, errors in <c>message</c>.</summary>
internal static unsafe class LibPng
{
    private const string Library = "libpng16.so.16";

    internal const uint ImageVersion = 1;

    internal const uint FormatFlagAlpha = 0x01;
    internal const uint FormatFlagColor = 0x02;
    internal const uint FormatFlagBgr = 0x10;

    internal const uint Flag16BitSrgb = 0x04;

    internal const uint FormatGray = 0;
    internal const uint FormatRgba = FormatFlagColor | FormatFlagAlpha;
    internal const uint FormatBgra = FormatFlagColor | FormatFlagBgr | FormatFlagAlpha;

    /// <summary>png_image, field for field as declared in /usr/include/png.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PngImage
    {
        public IntPtr Opaque;
        public uint Version;
        public uint Width;
        public uint Height;
        public uint Format;
        public uint Flags;
        public uint ColormapEntries;
        public uint WarningOrError;
        public fixed byte Message[64];

        public readonly bool Failed => (WarningOrError & 0x03) > 1;

        public readonly string MessageText
        {
            get
            {
                fixed (byte* p = Message)
                {
                    var length = 0;
                    while (length < 64 && p[length] != 0) length++;
                    return System.Text.Encoding.ASCII.GetString(p, length);
                }
            }
        }
    }

    [DllImport(Library, EntryPoint = "png_image_begin_read_from_memory")]
    internal static extern int BeginReadFromMemory(PngImage* image, byte* memory, nuint size);

    [DllImport(Library, EntryPoint = "png_image_finish_read")]
    internal static extern int FinishRead(PngImage* image, IntPtr background, byte* buffer, int rowStride, IntPtr colormap);

    [DllImport(Library, EntryPoint = "png_image_write_to_memory")]
    internal static extern int WriteToMemory(PngImage* image, byte* memory, nuint* memoryBytes, int convertTo8Bit, byte* buffer, int rowStride, IntPtr colormap);

    [DllImport(Library, EntryPoint = "png_image_free")]
    internal static extern void Free(PngImage* image);
}
