using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using MLRobust.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests.Build;

/// <summary>
/// The build's Debian 12 fix of TorchSharp's libLibTorchSharp.so (build/glibcxx-compat/patch-libtorchsharp.sh), checked
/// on a copy of the NuGet package's file with an independent ELF reader: the GLIBCXX_3.4.32 requirement is weak, the
/// compat library is NEEDED and lies beside it, nothing else changed, the package's file is untouched, a second run
/// changes nothing, and a missing tool gives one clear message.
/// </summary>
public class LibTorchSharpPatchTests
{
    private const string Version = "GLIBCXX_3.4.32";
    private const string CompatLibrary = "libmlrobust_glibcxx_compat.so";

    [Fact]
    public void PatchedCopy_HasAWeakGlibcxx3432Requirement_AndNeedsTheCompatLibrary()
    {
        var original = PackageLibrary();
        var originalHash = Hash(original);
        using var folder = new TempFolder();
        var native = Directory.CreateDirectory(folder.File("native")).FullName;
        var copy = Path.Combine(native, "libLibTorchSharp.so");
        File.Copy(original, copy);

        var before = new ElfFile(File.ReadAllBytes(copy));
        var unpatched = before.VersionRequirements().Single(r => r.Version == Version);
        Assert.Equal(0, unpatched.Flags & ElfFile.VerFlagWeak);
        Assert.DoesNotContain(CompatLibrary, before.Needed());

        var (exit, _, error) = RunScript(native, folder.File("cache"));
        Assert.True(exit == 0, error);

        var after = new ElfFile(File.ReadAllBytes(copy));
        var patched = after.VersionRequirements().Single(r => r.Version == Version);
        Assert.Equal("libstdc++.so.6", patched.File);
        Assert.Equal(ElfFile.VerFlagWeak, patched.Flags & ElfFile.VerFlagWeak);
        // Every other requirement is as it was.
        Assert.Equal(before.VersionRequirements().Where(r => r.Version != Version), after.VersionRequirements().Where(r => r.Version != Version));
        Assert.Contains(CompatLibrary, after.Needed());
        Assert.Equal(before.Needed(), after.Needed().Where(n => n != CompatLibrary));
        Assert.True(File.Exists(Path.Combine(native, CompatLibrary)));
        // The NuGet cache's file is never written.
        Assert.Equal(originalHash, Hash(original));

        // Idempotent: a second run leaves the patched file as it is.
        var patchedHash = Hash(copy);
        var (again, _, againError) = RunScript(native, folder.File("cache"));
        Assert.True(again == 0, againError);
        Assert.Equal(patchedHash, Hash(copy));
    }

    [Fact]
    public void MissingCompiler_FailsWithOneMessageSayingWhatToInstall()
    {
        using var folder = new TempFolder();
        var native = Directory.CreateDirectory(folder.File("native")).FullName;
        File.Copy(PackageLibrary(), Path.Combine(native, "libLibTorchSharp.so"));
        var tools = Directory.CreateDirectory(folder.File("bin")).FullName;
        // Only the shell tools the script needs, no g++ and no patchelf.
        foreach (var tool in new[] { "dirname", "cat", "grep", "awk", "readlink", "mkdir", "cp", "mv", "rm", "mktemp", "chmod", "flock" })
        {
            var path = new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
            if (path is not null) File.CreateSymbolicLink(Path.Combine(tools, tool), path);
        }

        var (exit, _, error) = RunScript(native, folder.File("cache"), pathOverride: tools);

        Assert.Equal(1, exit);
        Assert.Contains("error MLROBUST001", error);
        Assert.Contains(Version, error);
        Assert.Contains("g++ is not installed", error);
        Assert.Contains("apt-get install g++ patchelf", error);
    }

    [Fact]
    public void TheLibraryThisTestLoaded_IsPatchedExactlyWhenTheSystemNeedsIt_AndRuns()
    {
        var loaded = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(loaded), $"{loaded} is missing");
        var needsFix = !File.ReadAllText(SystemLibstdcxx(), System.Text.Encoding.Latin1).Contains(Version, StringComparison.Ordinal);
        Assert.Equal(needsFix, new ElfFile(File.ReadAllBytes(loaded)).Needed().Contains(CompatLibrary));
        using var x = ones(3, 4);
        Assert.Equal(12f, x.sum().ToSingle());
    }

    private static (int Exit, string Output, string Error) RunScript(string native, string cache, string? pathOverride = null)
    {
        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepositoryRoot(), "build", "glibcxx-compat", "patch-libtorchsharp.sh"));
        psi.ArgumentList.Add("--force");
        psi.ArgumentList.Add(native);
        psi.ArgumentList.Add(cache);
        if (pathOverride is not null) psi.Environment["PATH"] = pathOverride;
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2))) { process.Kill(); throw new TimeoutException("the patch script hung"); }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>libLibTorchSharp.so as the TorchSharp package ships it, in the NuGet global packages folder.</summary>
    private static string PackageLibrary()
    {
        var version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var path = Path.Combine(packages, "torchsharp", version, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp's native library is not in the NuGet cache at {path}");
        return path;
    }

    private static string SystemLibstdcxx() =>
        new[] { "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .Select(p => new FileInfo(p)).Where(f => f.Exists).Select(f => f.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? f.FullName).First();

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLRobust.sln"))) return dir.FullName;
        throw new InvalidOperationException("MLRobust.sln not found above the test folder");
    }
}
