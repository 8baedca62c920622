using System.Runtime.InteropServices;

namespace MLRobust.Torch.Native;

/// <summary>Turns the shim's thread-local error into a managed exception.</summary>
internal static class NativeErrors
{
    internal static string? TakeMessage()
    {
        NativeLibraryLoader.EnsureLoaded();
        var p = NativeMethods.mlr_last_error();
        if (p == IntPtr.Zero) return null;
        var message = Marshal.PtrToStringUTF8(p);
        NativeMethods.mlr_clear_error();
        return message;
    }

    internal static void Check(string context)
    {
        var message = TakeMessage();
        if (message != null) throw TorchException.FromNative(context, message);
    }

    internal static int Check(int result, string context)
    {
        if (result < 0) Throw(context);
        return result;
    }

    internal static IntPtr CheckHandle(IntPtr handle, string context)
    {
        if (handle == IntPtr.Zero) Throw(context);
        return handle;
    }

    internal static void Throw(string context)
    {
        var message = TakeMessage() ?? "the native call failed without a message";
        throw TorchException.FromNative(context, message);
    }
}
