using System.Runtime.InteropServices;

namespace MLRobust.ML.Data.Codecs;

/// <summary>The system libjpeg-turbo's TurboJPEG 2.x API (turbojpeg.h).</summary>
internal static unsafe class LibTurboJpeg
{
    private const string Library = "libturbojpeg.so.0";

    internal const int PixelFormatRgba = 7;   // TJPF_RGBA
    internal const int PixelFormatBgra = 8;   // TJPF_BGRA
    internal const int PixelFormatGray = 6;   // TJPF_GRAY

    internal const int Subsampling444 = 0;    // TJSAMP_444
    internal const int SubsamplingGray = 3;   // TJSAMP_GRAY

    internal const int ErrorWarning = 0;      // TJERR_WARNING
    internal const int FlagAccurateDct = 4096;

    [DllImport(Library)] internal static extern IntPtr tjInitDecompress();
    [DllImport(Library)] internal static extern IntPtr tjInitCompress();
    [DllImport(Library)] internal static extern int tjDestroy(IntPtr handle);

    [DllImport(Library)]
    internal static extern int tjDecompressHeader3(IntPtr handle, byte* jpegBuf, nuint jpegSize, out int width, out int height, out int jpegSubsamp, out int jpegColorspace);

    [DllImport(Library)]
    internal static extern int tjDecompress2(IntPtr handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    [DllImport(Library)]
    internal static extern int tjCompress2(IntPtr handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat, byte** jpegBuf, nuint* jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [DllImport(Library)] internal static extern void tjFree(byte* buffer);
    [DllImport(Library)] internal static extern IntPtr tjGetErrorStr2(IntPtr handle);
    [DllImport(Library)] internal static extern int tjGetErrorCode(IntPtr handle);

    internal static string ErrorText(IntPtr handle) => Marshal.PtrToStringAnsi(tjGetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}
