using System.Runtime.InteropServices;
using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    private static bool s_threadsConfigured;

    static torch()
    {
        NativeLibraryLoader.EnsureLoaded();
        ConfigureDefaultThreads();
    }

    /// <summary>libtorch's version, e.g. "1.13.0".</summary>
    public static string __version__ => Marshal.PtrToStringUTF8(NativeMethods.mlr_torch_version()) ?? "unknown";

    /// <summary>Seeds the CPU and CUDA generators.</summary>
    public static void manual_seed(long seed) => NativeErrors.Check(NativeMethods.mlr_manual_seed(unchecked((ulong)seed)), "manual_seed");

    public static void set_num_threads(int num)
    {
        if (num < 1) throw new ArgumentOutOfRangeException(nameof(num), num, "set_num_threads: the number of threads must be at least 1");
        NativeErrors.Check(NativeMethods.mlr_set_num_threads(num), "set_num_threads");
        s_threadsConfigured = true;
    }

    public static int get_num_threads() => NativeErrors.Check(NativeMethods.mlr_get_num_threads(), "get_num_threads");

    /// <summary>Makes libtorch pick deterministic kernels (and fail on ops that have none).</summary>
    public static void use_deterministic_algorithms(bool mode) => NativeErrors.Check(NativeMethods.mlr_set_deterministic(mode ? 1 : 0), "use_deterministic_algorithms");

    // libtorch's default can be 1 thread when OMP_NUM_THREADS is unset in some builds; use every core.
    private static void ConfigureDefaultThreads()
    {
        if (s_threadsConfigured) return;
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is { Length: > 0 }) return;
        NativeMethods.mlr_set_num_threads(Environment.ProcessorCount);
    }

    public static class cuda
    {
        public static bool is_available() => NativeMethods.mlr_cuda_is_available() == 1;
        public static int device_count() => NativeMethods.mlr_cuda_device_count();
        public static void manual_seed(long seed) => torch.manual_seed(seed);
        public static void manual_seed_all(long seed) => torch.manual_seed(seed);

        public static void synchronize(int device = -1)
        {
            if (!is_available()) throw new InvalidOperationException("cuda.synchronize: CUDA is not available");
            NativeErrors.Check(NativeMethods.mlr_cuda_synchronize(device), "cuda.synchronize");
        }
    }

    public static class backends
    {
        public static class cudnn
        {
            public static bool is_available() => NativeMethods.mlr_cudnn_is_available() == 1;
        }
    }
}
