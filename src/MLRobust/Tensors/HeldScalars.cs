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

    private const int RingSize = 64;

    [ThreadStatic] private static Scalar?[]? _ring;
    [ThreadStatic] private static int _next;

    /// <summary>
    /// A Scalar of <paramref name="value"/> for an argument of the calls being made on this thread: it stays referenced until this
    /// thread has asked for <see cref="RingSize"/> more, then it is disposed (never left to the finalizer). Pass it straight to a
    /// TorchSharp call (<c>x.clamp(Held(min), Held(max))</c>, <c>x * Held(0.5)</c>); never keep it.
    /// </summary>
    /// <remarks>Why not <c>x * 0.5</c>: TorchSharp converts the double to a Scalar whose only reference ends when its handle is
    /// read, so a garbage collection during the native call can finalize it while libtorch still reads it (seen: JSMA's
    /// masked_fill, Adam's addcmul_ in CI). Calls on one thread run one after another, so a ring of 64 outlives every call that
    /// uses fewer than 64 of them.</remarks>
    internal static Scalar Held(double value) => Keep(value.ToScalar());

    /// <summary>An integral <see cref="Held(double)"/>: integer tensors stay integer (<c>index + Held(offset)</c>), as with an int operand.</summary>
    internal static Scalar Held(long value) => Keep(value.ToScalar());

    private static Scalar Keep(Scalar scalar)
    {
        var ring = _ring ??= new Scalar?[RingSize];
        var slot = _next;
        _next = (slot + 1) % RingSize;
        ring[slot]?.Dispose();
        ring[slot] = scalar;
        return scalar;
    }
}
