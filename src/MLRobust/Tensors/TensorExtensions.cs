using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust;

/// <summary>
/// The few conveniences MLRobust uses that TorchSharp spells differently: single-dimension reductions,
/// one-hot, and a tensor made from a .NET span without an intermediate array.
/// </summary>
internal static class TensorExtensions
{
    /// <summary>Mean over one dimension (TorchSharp only takes an array of dimensions).</summary>
    public static Tensor mean(this Tensor t, long dim, bool keepdim = false) => t.mean(new[] { dim }, keepdim);

    /// <summary><c>F.one_hot(labels, classes)</c> as a method, as in PyTorch.</summary>
    public static Tensor one_hot(this Tensor labels, long classes) => nn.functional.one_hot(labels, classes);

    /// <summary>A CPU tensor of <paramref name="shape"/> holding a copy of <paramref name="values"/>.</summary>
    public static Tensor FromSpan<T>(ReadOnlySpan<T> values, long[] shape) where T : unmanaged
    {
        var dtype = ScalarTypeOf<T>();
        long count = 1;
        foreach (var d in shape) count *= d;
        if (count != values.Length)
            throw new ArgumentException($"{values.Length} values do not fill a tensor of shape [{string.Join(", ", shape)}] ({count} elements)", nameof(values));
        var t = empty(shape, dtype);
        if (count > 0) MemoryMarshal.AsBytes(values).CopyTo(t.bytes);
        return t;
    }

    private static ScalarType ScalarTypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? ScalarType.Float32
        : typeof(T) == typeof(double) ? ScalarType.Float64
        : typeof(T) == typeof(long) ? ScalarType.Int64
        : typeof(T) == typeof(int) ? ScalarType.Int32
        : typeof(T) == typeof(byte) ? ScalarType.Byte
        : typeof(T) == typeof(bool) ? ScalarType.Bool
        : throw new NotSupportedException($"no tensor element type for {typeof(T).Name}");
}
