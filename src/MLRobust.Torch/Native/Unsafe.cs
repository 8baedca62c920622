namespace MLRobust.Torch.Native;

internal static unsafe class Unsafe
{
    /// <summary>Address of an element of a pinned (POH) array.</summary>
    internal static void* AsPointer<T>(ref T value) => System.Runtime.CompilerServices.Unsafe.AsPointer(ref value);
}
