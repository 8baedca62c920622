using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace MLRobust.Cli.Diagnostics;

/// <summary>What MLRobust runs on: its own version, the libtorch it loaded, threads, CUDA, OS and .NET.
/// The JSON names are what <c>mlrobust info --json</c> promises scripts.</summary>
internal sealed record SystemInfo(
    [property: JsonPropertyName("mlrobustVersion")] string MLRobustVersion,
    [property: JsonPropertyName("torchSharpVersion")] string TorchSharpVersion,
    [property: JsonPropertyName("libtorchVersion")] string LibtorchVersion,
    [property: JsonPropertyName("cpuThreads")] int CpuThreads,
    [property: JsonPropertyName("logicalProcessors")] int LogicalProcessors,
    [property: JsonPropertyName("cudaAvailable")] bool CudaAvailable,
    [property: JsonPropertyName("cudaDeviceCount")] int CudaDeviceCount,
    [property: JsonPropertyName("cudnnAvailable")] bool CudnnAvailable,
    [property: JsonPropertyName("oneDnn")] string OneDnn,
    [property: JsonPropertyName("nativeAllocator")] string NativeAllocator,
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("architecture")] string Architecture)
{
    internal static SystemInfo Collect() => new(
        MLRobustVersion: MLRobustVersionString(),
        TorchSharpVersion: InformationalVersion(typeof(TorchSharp.torch).Assembly, keepCommit: false),
        LibtorchVersion: __version__,
        CpuThreads: get_num_threads(),
        LogicalProcessors: Environment.ProcessorCount,
        CudaAvailable: cuda.is_available(),
        CudaDeviceCount: cuda.device_count(),
        CudnnAvailable: cuda.is_cudnn_available(),
        OneDnn: MLRobust.OneDnnGuard.Status,
        NativeAllocator: MLRobust.NativeAllocatorTuning.Status,
        Os: RuntimeInformation.OSDescription,
        Runtime: RuntimeInformation.FrameworkDescription,
        Architecture: RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant());

    // "0.1.0+<40-hex commit>" from the SDK; keep the version and a short commit, as git shows it.
    private static string MLRobustVersionString() => InformationalVersion(typeof(SystemInfo).Assembly, keepCommit: true);

    private static string InformationalVersion(Assembly assembly, bool keepCommit)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                            ?? assembly.GetName().Version?.ToString(3) ?? "unknown";
        var plus = informational.IndexOf('+');
        if (plus < 0) return informational;
        if (!keepCommit) return informational[..plus];
        var commit = informational[(plus + 1)..];
        return informational[..plus] + "+" + (commit.Length > 7 ? commit[..7] : commit);
    }
}
