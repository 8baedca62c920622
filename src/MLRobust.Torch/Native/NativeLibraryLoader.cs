using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLRobust.Torch.Native;

/// <summary>Finds libmlrobust_torch.so without LD_LIBRARY_PATH: MLROBUST_NATIVE_DIR, then the
/// application folder, then this assembly's folder, then the repository's artifacts/native
/// folder above either. A failure lists every place tried and why, instead of a bare
/// DllNotFoundException (a common TorchSharp complaint).</summary>
internal static class NativeLibraryLoader
{
    private const string FileName = "libmlrobust_torch.so";
    private static IntPtr s_handle;
    private static readonly object s_lock = new();

    // Registering the resolver must precede the first P/Invoke from any entry point.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    internal static void EnsureLoaded()
    {
        if (s_handle == IntPtr.Zero) Load();
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        => libraryName == NativeMethods.Library ? Load() : IntPtr.Zero;

    private static IntPtr Load()
    {
        lock (s_lock)
        {
            if (s_handle != IntPtr.Zero) return s_handle;
            var failures = new List<string>();
            foreach (var candidate in Candidates())
            {
                if (!File.Exists(candidate)) { failures.Add($"{candidate}: not found"); continue; }
                try
                {
                    s_handle = NativeLibrary.Load(candidate);
                    return s_handle;
                }
                catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
                {
                    failures.Add($"{candidate}: {e.Message}");
                }
            }
            throw new DllNotFoundException(
                $"MLRobust could not load its libtorch shim {FileName}. Build it with './build.sh --target=Native' " +
                $"(it needs libtorch-dev, or TORCH_DIR pointing at another libtorch). Tried:{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", failures));
        }
    }

    private static IEnumerable<string> Candidates()
    {
        var fromEnv = Environment.GetEnvironmentVariable("MLROBUST_NATIVE_DIR");
        if (!string.IsNullOrEmpty(fromEnv)) yield return Path.Combine(fromEnv, FileName);
        var folders = new List<string> { AppContext.BaseDirectory };
        var assemblyDir = Path.GetDirectoryName(typeof(NativeLibraryLoader).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDir)) folders.Add(assemblyDir);
        foreach (var folder in folders) yield return Path.Combine(folder, FileName);
        foreach (var folder in folders)
        {
            for (var dir = new DirectoryInfo(folder); dir != null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "artifacts", "native", FileName);
                if (File.Exists(path)) { yield return path; break; }
            }
        }
    }
}
