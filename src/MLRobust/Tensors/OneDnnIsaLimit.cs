using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLRobust;

/// <summary>
/// Keeps oneDNN (libtorch's CPU convolution library) off its AVX-512 kernels on AMD processors. Measured with
/// libtorch 2.10.0 (libtorch-cpu-linux-x64) on an AMD EPYC with AVX-512, two threads: the input gradient of
/// a float32 <c>conv2d</c> was wrong (NaN or garbage) in 25-90% of backward passes for batches of two or more,
/// which turned training losses into NaN; with <c>DNNL_MAX_CPU_ISA=AVX2</c>, or one thread, 0 of 900 were wrong.
/// oneDNN reads that variable once, when it creates its first primitive, so it is set in the native
/// environment (setenv: .NET's Environment.SetEnvironmentVariable does not reach native code) as soon as this
/// assembly loads. A value the user set is kept; <c>MLROBUST_ONEDNN_ISA=native</c> turns the limit off.
/// </summary>
internal static class OneDnnIsaLimit
{
    internal const string Variable = "DNNL_MAX_CPU_ISA";
    internal const string OptOut = "MLROBUST_ONEDNN_ISA";

    /// <summary>What was decided at start-up, for <c>mlrobust info</c> and the tests.</summary>
    internal static string Status { get; private set; } = "not checked";

#pragma warning disable CA2255 // a library initialiser on purpose: it must run before libtorch creates a oneDNN primitive
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux()) { Status = "not needed (not Linux)"; return; }
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set) { Status = $"{Variable}={set} (set by the user)"; return; }
        if (string.Equals(Environment.GetEnvironmentVariable(OptOut), "native", StringComparison.OrdinalIgnoreCase)) { Status = $"native ({OptOut}=native)"; return; }
        if (!IsAmdWithAvx512()) { Status = "native (not an AMD processor with AVX-512)"; return; }
        if (setenv(Variable, "AVX2", 0) != 0) { Status = $"could not set {Variable}"; return; }
        Status = $"{Variable}=AVX2 (AMD with AVX-512: oneDNN's AVX-512 convolution gradients were wrong)";
    }

    private static bool IsAmdWithAvx512()
    {
        try
        {
            string? vendor = null, flags = null;
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (vendor is null && line.StartsWith("vendor_id", StringComparison.Ordinal)) vendor = line;
                else if (flags is null && line.StartsWith("flags", StringComparison.Ordinal)) flags = line;
                if (vendor is not null && flags is not null) break;
            }
            return vendor?.Contains("AuthenticAMD", StringComparison.Ordinal) == true
                   && flags is not null && flags.Split(' ', '\t').Contains("avx512f");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);
}
