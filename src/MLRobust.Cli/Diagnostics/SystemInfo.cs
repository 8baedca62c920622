using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace MLRobust.Cli.Diagnostics;

/// <summary>What MLRobust runs on: its own version, the libtorch it loaded, threads, CUDA, OS and .NET.
/// The JSON names are what <c>mlrobust info --json</c> promises scripts.</summary>
internal sealed record SystemInfo(
    [property: JsonPropertyName("mlrobustVersion")] string MLRobustVersion,
    [property: JsonPropertyName("libtorchVersion")] string LibtorchVersion,
    [property: JsonPropertyName("cpuThreads")] int CpuThreads,
    [property: JsonPropertyName("logicalProcessors")] int LogicalProcessors,
    [property: JsonPropertyName("cudaAvailable")] bool CudaAvailable,
    [property: JsonPropertyName("cudaDeviceCount")] int CudaDeviceCount,
    [property: JsonPropertyName("cudnnAvailable")] bool CudnnAvailable,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("architecture")] string Architecture)
{
    internal static SystemInfo Collect() => new(
        MLRobustVersion: MLRobustVersionString(),
        LibtorchVersion: __version__,
        CpuThreads: get_num_threads(),
        LogicalProcessors: Environment.ProcessorCount,
        CudaAvailable: cuda.is_available(),
        CudaDeviceCount: cuda.device_count(),
        CudnnAvailable: backends.cudnn.is_available(),
        Os: RuntimeInformation.OSDescription,
        Runtime: RuntimeInformation.FrameworkDescription,
        Architecture: RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant());

    // "0.1.0+<40-hex commit>" from the SDK; keep the version and a short commit, as git shows it.
    private static string MLRobustVersionString()
    {
        var assembly = typeof(SystemInfo).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                            ?? assembly.GetName().Version?.ToString(3) ?? "unknown";
        var plus = informational.IndexOf('+');
        if (plus < 0) return informational;
        var commit = informational[(plus + 1)..];
        return informational[..plus] + "+" + (commit.Length > 7 ? commit[..7] : commit);
    }
}
