using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using static TorchSharp.torch;

namespace MLRobust.Cli.Tests;

public class InfoCommandTests
{
    [Fact]
    public void JsonReportsVersionsThreadsAndCuda()
    {
        var run = CliRun.Of("info", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;

        // MLRobust's version is the one Directory.Build.props gives every project (plus an optional +commit).
        var version = root.GetProperty("mlrobustVersion").GetString()!;
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(RepositoryFiles.ProjectVersion())}(\\+[0-9a-f]+)?$", version);

        // libtorch's version is the loaded library's, and the one the build pins; TorchSharp's likewise.
        var libtorch = root.GetProperty("libtorchVersion").GetString()!;
        Assert.Equal(__version__, libtorch);
        Assert.StartsWith(RepositoryFiles.LibtorchPackageVersion(), libtorch);
        Assert.Equal(RepositoryFiles.TorchSharpPackageVersion(), root.GetProperty("torchSharpVersion").GetString());
        Assert.Equal(MLRobust.OneDnnGuard.Status, root.GetProperty("oneDnn").GetString());
        // On Linux the allocator is tuned at load (the test process loads MLRobust too, so both report the same decision).
        Assert.Equal(MLRobust.NativeAllocatorTuning.Status, root.GetProperty("nativeAllocator").GetString());
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("MLROBUST_MALLOC") is null) Assert.StartsWith("tuned", root.GetProperty("nativeAllocator").GetString());

        var threads = root.GetProperty("cpuThreads").GetInt32();
        Assert.InRange(threads, 1, 4096);
        Assert.Equal(get_num_threads(), threads);
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("logicalProcessors").GetInt32());

        var cudaAvailable = root.GetProperty("cudaAvailable").GetBoolean();
        var cudaDevices = root.GetProperty("cudaDeviceCount").GetInt32();
        Assert.Equal(cudaAvailable, cudaDevices > 0);
        // The NVIDIA driver lists the GPUs it sees; libtorch can't see more than that.
        var gpusSeenByDriver = Directory.Exists("/proc/driver/nvidia/gpus") ? Directory.GetDirectories("/proc/driver/nvidia/gpus").Length : 0;
        Assert.InRange(cudaDevices, 0, gpusSeenByDriver);
        root.GetProperty("cudnnAvailable").GetBoolean();

        Assert.Equal(RuntimeInformation.OSDescription, root.GetProperty("os").GetString());
        Assert.Equal(RuntimeInformation.FrameworkDescription, root.GetProperty("runtime").GetString());
        Assert.Equal(RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(), root.GetProperty("architecture").GetString());
    }

    [Fact]
    public void TableShowsTheSameFactsAsPlainText()
    {
        var run = CliRun.Of("info");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.DoesNotContain('\u001b', run.Output);
        Assert.Contains(__version__, run.Output);
        Assert.Contains($"{get_num_threads()} (of {Environment.ProcessorCount} logical processors)", run.Output);
        Assert.Contains(cuda.is_available() ? "available" : "not available", run.Output);
        Assert.Contains(RuntimeInformation.FrameworkDescription, run.Output);
    }

    /// <summary>The real <c>mlrobust</c> command (the app host next to MLRobust.Cli.dll) with stdout
    /// redirected and a terminal that claims colours: Spectre must still write plain text, because a
    /// pipe is not a terminal.</summary>
    [Fact]
    public async Task RedirectedCommandOutputHasNoAnsiEscapes()
    {
        var psi = new ProcessStartInfo(RepositoryFiles.CliCommand())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("info");
        psi.Environment["TERM"] = "xterm-256color";
        psi.Environment["COLORTERM"] = "truecolor";
        psi.Environment.Remove("NO_COLOR");

        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        var text = await stdout;
        Assert.DoesNotContain('\u001b', text);
        Assert.Contains("libtorch", text);
        Assert.Contains(__version__, text);
    }

    /// <summary>Assembly names compare case-insensitively: a CLI assembly named "mlrobust" would shadow
    /// the MLRobust library and every library type would fail to load.</summary>
    [Fact]
    public void CliAssemblyDoesNotShadowTheLibrary()
    {
        var cli = typeof(Program).Assembly.GetName().Name;
        Assert.NotEqual("MLRobust", cli, StringComparer.OrdinalIgnoreCase);
    }
}
