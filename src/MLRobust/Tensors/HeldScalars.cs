using TorchSharp;

namespace MLRobust;

/// <summary>
/// Scalars that live as long as the process. A Scalar made implicitly from a double for one call (<c>masked_fill(mask, -∞)</c>)
/// can be finalized while libtorch still reads it; with glibc keeping freed blocks for reuse (<see cref="NativeAllocatorTuning"/>)
/// its memory is soon rewritten, and libtorch then rejected a garbage fill value (JSMA, 1 run in 3).
/// </summary>
internal static class HeldScalars
{
    internal static readonly Scalar PositiveInfinity = double.PositiveInfinity.ToScalar();
    internal static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();
    internal static readonly Scalar Zero = 0.0.ToScalar();
    internal static readonly Scalar One = 1.0.ToScalar();
}
