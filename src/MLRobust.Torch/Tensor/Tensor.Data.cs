using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        /// <summary>The value of a one-element tensor, converted to T.</summary>
        public unsafe T item<T>() where T : unmanaged
        {
            double d = 0;
            long l = 0;
            var kind = NativeMethods.mlr_tensor_item(Handle, &d, &l);
            GC.KeepAlive(this);
            if (kind < 0) NativeErrors.Throw("item");
            object value = typeof(T) switch
            {
                var t when t == typeof(float) => kind == 0 ? (float)d : (float)l,
                var t when t == typeof(double) => kind == 0 ? d : (double)l,
                var t when t == typeof(long) => kind == 0 ? (long)d : l,
                var t when t == typeof(int) => kind == 0 ? (int)d : checked((int)l),
                var t when t == typeof(short) => kind == 0 ? (short)d : checked((short)l),
                var t when t == typeof(byte) => kind == 0 ? (byte)d : checked((byte)l),
                var t when t == typeof(bool) => kind == 0 ? d != 0 : l != 0,
                _ => throw new NotSupportedException($"item<{typeof(T).Name}> is not supported"),
            };
            return (T)value;
        }

        /// <summary>A copy of the values (contiguous, row-major) read as T, which must match dtype.</summary>
        public TensorAccessor<T> data<T>() where T : unmanaged
        {
            var values = new T[numel()];
            copy_to<T>(values);
            return new TensorAccessor<T>(values);
        }

        /// <summary>Copies the values (contiguous, row-major, from any device) into destination.</summary>
        public unsafe void copy_to<T>(Span<T> destination) where T : unmanaged
        {
            CheckElementType<T>("copy_to");
            var n = numel();
            if (destination.Length != n)
                throw new ArgumentException($"copy_to: destination has {destination.Length} elements but the tensor has {n}", nameof(destination));
            fixed (T* p = destination)
                NativeErrors.Check(NativeMethods.mlr_tensor_copy_data(Handle, p, n * sizeof(T)), "copy_to");
            GC.KeepAlive(this);
        }

        /// <summary>Overwrites the values with source (contiguous, row-major), without autograd.</summary>
        public unsafe Tensor copy_from<T>(ReadOnlySpan<T> source) where T : unmanaged
        {
            CheckElementType<T>("copy_from");
            var n = numel();
            if (source.Length != n)
                throw new ArgumentException($"copy_from: source has {source.Length} elements but the tensor has {n}", nameof(source));
            fixed (T* p = source)
                NativeErrors.Check(NativeMethods.mlr_tensor_copy_from(Handle, p, n * sizeof(T)), "copy_from");
            GC.KeepAlive(this);
            return this;
        }

        /// <summary>The raw bytes of the values (contiguous, little-endian), as safetensors stores them.</summary>
        public unsafe byte[] bytes
        {
            get
            {
                var result = new byte[numel() * element_size()];
                fixed (byte* p = result)
                    NativeErrors.Check(NativeMethods.mlr_tensor_copy_data(Handle, p, result.Length), "bytes");
                GC.KeepAlive(this);
                return result;
            }
        }

        private void CheckElementType<T>(string context) where T : unmanaged
        {
            var expected = ScalarTypeExtensions.For<T>();
            var actual = dtype;
            if (expected != actual)
                throw new ArgumentException($"{context}<{typeof(T).Name}>: the tensor's dtype is {actual}, which does not match {typeof(T).Name} ({expected})");
        }
    }
}

/// <summary>The values of a tensor copied to managed memory (what <c>data&lt;T&gt;()</c> returns).</summary>
public sealed class TensorAccessor<T> : IReadOnlyList<T> where T : unmanaged
{
    private readonly T[] _values;
    internal TensorAccessor(T[] values) => _values = values;
    public T this[int index] => _values[index];
    public int Count => _values.Length;
    public long Length => _values.Length;
    public T[] ToArray() => (T[])_values.Clone();
    public ReadOnlySpan<T> AsSpan() => _values;
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_values).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _values.GetEnumerator();
}
