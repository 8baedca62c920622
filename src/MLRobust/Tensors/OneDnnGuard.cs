using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace MLRobust;

/// <summary>
/// Turns libtorch's oneDNN (mkldnn) kernels off on machines whose CPU reports no cache sizes, where they compute wrong
/// results. oneDNN sizes its blocking from the CPU's cache sizes; some virtual machines report none (no
/// /sys/devices/system/cpu/cpu0/cache). Measured on such a machine (AMD EPYC, family 26, 2 vCPUs) with libtorch 2.10.0's
/// oneDNN 3.7.1, against float64 references computed three independent ways: 33-46 of 234 float32 conv2d cases were
/// wrong (off by up to 1 on values of about 1, or NaN, varying from run to run) in the forward pass or the input gradient,
/// and every DNNL_MAX_CPU_ISA setting still had wrong cases; with oneDNN off (ATen's own convolutions) 0 of 234 were.
/// libtorch reads the switch (<c>at::globalContext().setUserEnabledMkldnn</c>, PyTorch's <c>torch.backends.mkldnn.enabled</c>,
/// which TorchSharp does not expose) at every operation, so it is set once, as soon as this assembly loads.
/// NNPACK, which ATen's convolutions try next, cannot initialise on such a CPU either and then logs a warning at every
/// convolution, so it is turned off with oneDNN.
/// <c>MLROBUST_ONEDNN=on</c> keeps oneDNN on regardless; <c>MLROBUST_ONEDNN=off</c> turns it off on any machine.
/// </summary>
public static class OneDnnGuard
{
    internal const string Variable = "MLROBUST_ONEDNN";

    /// <summary>What was decided at start-up, for <c>mlrobust info</c>.</summary>
    public static string Status { get; private set; } = "not checked";

    /// <summary>Whether libtorch's oneDNN kernels are in use (null when it could not be read).</summary>
    public static bool? Enabled { get; private set; }

#pragma warning disable CA2255 // a library initialiser on purpose: it must run before libtorch runs a convolution
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        try
        {
            var setting = Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant();
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            {
                Status = "on (not checked off x86-64 Linux)";
                return;
            }
            if (setting == "on")
            {
                Status = $"on ({Variable}=on)";
                Enabled = true;
                return;
            }
            var reason = setting == "off" ? $"{Variable}=off"
                : CpuReportsCacheSizes() ? null
                : "the CPU reports no cache sizes, and oneDNN's convolutions were wrong on such a machine";
            if (reason is null)
            {
                Status = "on";
                Enabled = true;
                return;
            }
            Enabled = SetMkldnn(false);
            Status = Enabled == false ? $"off ({reason}; {Variable}=on keeps it)" : $"on (could not be turned off: {reason})";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or NotSupportedException or IOException)
        {
            Status = $"not checked ({e.GetType().Name}: {e.Message.Split('\n')[0]})";
        }
    }

    /// <summary>True when Linux lists at least one CPU cache with a size, as oneDNN needs.</summary>
    internal static bool CpuReportsCacheSizes()
    {
        const string caches = "/sys/devices/system/cpu/cpu0/cache";
        if (!Directory.Exists(caches)) return false;
        foreach (var index in Directory.EnumerateDirectories(caches, "index*"))
        {
            var size = Path.Combine(index, "size");
            if (File.Exists(size) && File.ReadAllText(size).Trim() is { Length: > 0 } text && text != "0K") return true;
        }
        return false;
    }

    /// <summary>Sets libtorch's oneDNN (and NNPACK) switch and returns what oneDNN's reads back.</summary>
    private static unsafe bool SetMkldnn(bool enabled)
    {
        // Loads TorchSharp's natives (libtorch_cpu.so among them) if nothing has yet.
        torch.InitializeDeviceType(DeviceType.CPU);
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", out var library)
            && !NativeLibrary.TryLoad(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libtorch_cpu.so"), out library)
            && !NativeLibrary.TryLoad(Path.Combine(AppContext.BaseDirectory, "cpu", "libtorch_cpu.so"), out library))
            throw new DllNotFoundException("libtorch_cpu.so is not loaded");
        // Itanium C++ ABI: at::globalContext() returns at::Context&; its non-virtual members take `this` first.
        var globalContext = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "_ZN2at13globalContextEv");
        var setUserEnabledMkldnn = (delegate* unmanaged<IntPtr, byte, void>)NativeLibrary.GetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb");
        var userEnabledMkldnn = (delegate* unmanaged<IntPtr, byte>)NativeLibrary.GetExport(library, "_ZNK2at7Context17userEnabledMkldnnEv");
        var setUserEnabledNnpack = (delegate* unmanaged<IntPtr, byte, void>)NativeLibrary.GetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb");
        var context = globalContext();
        setUserEnabledMkldnn(context, enabled ? (byte)1 : (byte)0);
        setUserEnabledNnpack(context, enabled ? (byte)1 : (byte)0);
        return userEnabledMkldnn(context) != 0;
    }
}
