using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MLRobust;

/// <summary>
/// Keeps glibc's malloc from handing libtorch's large tensors back to the kernel after every use. By default glibc serves blocks
/// above a (sliding, at most 32 MiB) threshold with their own mmap and trims freed memory at the top of the heap, so each
/// training step maps, page-faults and zeroes its activations and im2col buffers afresh (AlexNet-small's second convolution
/// unfolds 35 MiB at batch 64). Measured on the 2-core build machine, one training step of AlexNet-small at batch 64 in a .NET
/// process: 1.05–1.25 s with glibc's defaults, 0.46–0.49 s with both thresholds raised here (Python's PyTorch, whose process
/// differs, ran the same elementwise ops without the cost). The price: freed memory stays with the process, so its resident size
/// stays at its peak. <c>MLROBUST_MALLOC=default</c> keeps glibc's defaults.
/// <para>The tuning reaches only glibc's main arena fully. Other threads (ML.NET's cache fillers, xunit, a server's request threads)
/// get arenas of their own, whose heaps cannot hold a block over 64 MiB, so such blocks are mapped afresh on every use whatever the
/// thresholds: the triple-staged network scored 32 images in 0.43 s on the main thread and 2.3 s on a second one. Arenas exist before
/// any library code runs, so only the environment can fix it: <c>MALLOC_ARENA_MAX=1</c> at process start (both threads 0.43 s);
/// <c>build.sh</c> sets it.</para>
/// </summary>
public static class NativeAllocatorTuning
{
    internal const string Variable = "MLROBUST_MALLOC";
    private const int TrimThreshold = -1, MmapThreshold = -3; // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in <malloc.h>

    /// <summary>What was decided at start-up, for <c>mlrobust info</c>.</summary>
    public static string Status { get; private set; } = "not applied";

#pragma warning disable CA2255 // a library initialiser on purpose: it must run before libtorch allocates its first tensors
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (!OperatingSystem.IsLinux())
        {
            Status = "glibc defaults (not Linux)";
            return;
        }
        if (string.Equals(Environment.GetEnvironmentVariable(Variable)?.Trim(), "default", StringComparison.OrdinalIgnoreCase))
        {
            Status = $"glibc defaults ({Variable}=default)";
            return;
        }
        try
        {
            // mallopt returns 1 on success, 0 when glibc refuses the value.
            var mmap = mallopt(MmapThreshold, 1 << 30);
            var trim = mallopt(TrimThreshold, int.MaxValue);
            var arenas = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX")?.Trim() == "1" ? "one arena for all threads (MALLOC_ARENA_MAX=1)"
                : "the main thread only; set MALLOC_ARENA_MAX=1 before start to share it with other threads";
            Status = mmap == 1 && trim == 1 ? $"tuned: blocks up to 1 GiB from the heap, no trimming, {arenas} ({Variable}=default keeps glibc's defaults)"
                : $"glibc defaults (mallopt refused: mmap {mmap}, trim {trim})";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Status = $"glibc defaults (no glibc mallopt: {e.GetType().Name})";
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
