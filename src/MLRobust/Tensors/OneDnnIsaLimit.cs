using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLRobust;

/// <summary>
/// Keeps oneDNN (libtorch's CPU convolution library, v3.7.1 in libtorch 2.10.0) on its AVX kernels. Measured on
/// an AMD EPYC with AVX-512 against float64 references: with the default (AVX-512) kernels the input gradient
/// of a float32 <c>conv2d</c> was wrong (NaN or off by up to 0.5 on values of about 1) for small channel counts
/// (1-8 input channels) and, with two threads, at random in 25-90% of backward passes, which turned training
/// losses into NaN; the AVX2 kernels were still wrong for 3 input channels; with <c>DNNL_MAX_CPU_ISA=AVX</c>
/// every case agreed to 1e-6. oneDNN reads that variable once, when it creates its first primitive, so it is set in the native
/// environment (setenv: .NET's Environment.SetEnvironmentVariable does not reach native code) as soon as this
/// assembly loads. A value the user set is kept; <c>MLROBUST_ONEDNN_ISA=native</c> turns the limit off.
/// </summary>
public static class OneDnnIsaLimit
{
    internal const string Variable = "DNNL_MAX_CPU_ISA";
    internal const string OptOut = "MLROBUST_ONEDNN_ISA";

    /// <summary>What was decided at start-up, for <c>mlrobust info</c> and the tests.</summary>
    public static string Status { get; private set; } = "not checked";

#pragma warning disable CA2255 // a library initialiser on purpose: it must run before libtorch creates a oneDNN primitive
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux()) { Status = "not needed (not Linux)"; return; }
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set) { Status = $"{Variable}={set} (set by the user)"; return; }
        if (string.Equals(Environment.GetEnvironmentVariable(OptOut), "native", StringComparison.OrdinalIgnoreCase)) { Status = $"native ({OptOut}=native)"; return; }
        if (!HasAvx2()) { Status = "native (no AVX2: the faulty kernels are not used)"; return; }
        if (setenv(Variable, "AVX", 0) != 0) { Status = $"could not set {Variable}"; return; }
        Status = $"{Variable}=AVX (oneDNN's AVX2/AVX-512 convolution gradients were wrong; {OptOut}=native turns this off)";
    }

    private static bool HasAvx2()
    {
        try
        {
            var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return flags is not null && flags.Split(' ', '\t').Contains("avx2");
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
