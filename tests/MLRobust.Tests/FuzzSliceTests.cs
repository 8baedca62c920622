using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace MLRobust.Tests;

/// <summary>The seeded slice of the Fuzz target that runs in CI: 900 mutated glTF files, images and model files, each loaded
/// as MLRobust loads it in worker processes: no crash, no hang and only documented exceptions in MLRobust's code.</summary>
public class FuzzSliceTests
{
    [Fact]
    public async Task SeededSlice_HasNoCrashHangOrUndocumentedException()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "MLRobust.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("MLRobust.sln not found above the test folder");
        var configuration = typeof(FuzzSliceTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var fuzz = Path.Combine(root, "fuzz", "MLRobust.Fuzz", "bin", configuration, "net10.0", "MLRobust.Fuzz.dll");
        Assert.True(File.Exists(fuzz), $"{fuzz} is missing: building MLRobust.sln builds it");
        var report = Path.Combine(Path.GetTempPath(), $"mlrobust-fuzz-{Guid.NewGuid():N}.json");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { fuzz, "--inputs", "900", "--seed", "7", "--workers", "2", "--json", report }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "the fuzz slice did not finish in 5 minutes");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{output}\n{await error}");
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        File.Delete(report);
        var kinds = json.RootElement.GetProperty("Kinds").EnumerateArray().ToArray();
        Assert.Equal(new[] { "gltf", "image", "model" }, kinds.Select(k => k.GetProperty("Kind").GetString()));
        foreach (var kind in kinds)
        {
            var name = kind.GetProperty("Kind").GetString();
            Assert.Equal(300, kind.GetProperty("Inputs").GetInt32());
            Assert.Equal(0, kind.GetProperty("Crashes").GetArrayLength());
            Assert.Equal(0, kind.GetProperty("Hangs").GetArrayLength());
            Assert.Empty(kind.GetProperty("Undocumented").EnumerateObject());
            // The mutations bite (most inputs are rejected) without breaking everything (some still load).
            Assert.True(kind.GetProperty("Loaded").GetInt32() > 0, $"{name}: nothing loaded");
            Assert.True(kind.GetProperty("Rejected").EnumerateObject().Sum(p => p.Value.GetInt32()) > 100, $"{name}: few rejections");
        }
    }
}
