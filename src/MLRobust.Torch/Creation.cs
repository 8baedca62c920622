using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    private static readonly Op s_zeros = new("aten::zeros");
    private static readonly Op s_ones = new("aten::ones");
    private static readonly Op s_empty = new("aten::empty", "memory_format");
    private static readonly Op s_full = new("aten::full");
    private static readonly Op s_arange = new("aten::arange", "start_step");
    private static readonly Op s_linspace = new("aten::linspace");
    private static readonly Op s_rand = new("aten::rand");
    private static readonly Op s_randn = new("aten::randn");
    private static readonly Op s_randint = new("aten::randint", "low");
    private static readonly Op s_eye = new("aten::eye");
    private static readonly Op s_zeros_like = new("aten::zeros_like");
    private static readonly Op s_ones_like = new("aten::ones_like");
    private static readonly Op s_empty_like = new("aten::empty_like");
    private static readonly Op s_full_like = new("aten::full_like");
    private static readonly Op s_rand_like = new("aten::rand_like");
    private static readonly Op s_randn_like = new("aten::randn_like");
    private static readonly Op s_randperm = new("aten::randperm");
    private static readonly Op s_bernoulli = new("aten::bernoulli", "p");

    // ---- from .NET data (copied; the array may be reused afterwards) ----

    public static Tensor tensor<T>(T[] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged
        => tensor((ReadOnlySpan<T>)rawArray, new[] { (long)rawArray.Length }, dtype, device, requires_grad);

    public static Tensor tensor<T>(T[] rawArray, long[] dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged
        => tensor((ReadOnlySpan<T>)rawArray, dimensions, dtype, device, requires_grad);

    public static Tensor tensor<T>(T[] rawArray, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged
        => tensor((ReadOnlySpan<T>)rawArray, dimensions, dtype, device, requires_grad);

    public static Tensor tensor<T>(T[,] rawArray, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        var flat = new T[rawArray.Length];
        var k = 0;
        foreach (var v in rawArray) flat[k++] = v;
        return tensor((ReadOnlySpan<T>)flat, new long[] { rawArray.GetLength(0), rawArray.GetLength(1) }, dtype, device, requires_grad);
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/> with the given shape.</summary>
    public static unsafe Tensor tensor<T>(ReadOnlySpan<T> values, ReadOnlySpan<long> dimensions, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        long count = 1;
        foreach (var d in dimensions)
        {
            if (d < 0) throw new ArgumentException($"tensor: negative dimension {d} in shape [{string.Join(",", dimensions.ToArray())}]", nameof(dimensions));
            count *= d;
        }
        if (count != values.Length)
            throw new ArgumentException($"tensor: shape [{string.Join(",", dimensions.ToArray())}] holds {count} elements but {values.Length} values were given", nameof(dimensions));
        var native = ScalarTypeExtensions.For<T>();
        var dev = device ?? CPU;
        CheckDevice(dev);
        IntPtr h;
        fixed (T* p = values)
        fixed (long* s = dimensions)
        {
            NativeLibraryLoader.EnsureLoaded();
            // libtorch itself rejects requires_grad on integer data, with PyTorch's message.
            h = NativeMethods.mlr_tensor_from_data(p, s, dimensions.Length, (int)native, (int)dev.type, dev.index,
                requires_grad && dtype is null ? 1 : 0);
        }
        var t = new Tensor(NativeErrors.CheckHandle(h, "tensor"));
        if (dtype is { } target && target != native)
        {
            using (t)
            {
                var converted = t.to_type(target);
                try
                {
                    if (requires_grad) converted.requires_grad = true;
                }
                catch
                {
                    converted.Dispose();
                    throw;
                }
                return converted;
            }
        }
        return t;
    }

    public static Tensor tensor(float scalar, Device? device = null, bool requires_grad = false) => tensor(new[] { scalar }, Array.Empty<long>(), null, device, requires_grad);
    public static Tensor tensor(double scalar, Device? device = null, bool requires_grad = false) => tensor(new[] { scalar }, Array.Empty<long>(), null, device, requires_grad);
    public static Tensor tensor(long scalar, Device? device = null) => tensor(new[] { scalar }, Array.Empty<long>(), null, device);
    public static Tensor tensor(int scalar, Device? device = null) => tensor(new[] { scalar }, Array.Empty<long>(), null, device);
    public static Tensor tensor(bool scalar, Device? device = null) => tensor(new[] { scalar }, Array.Empty<long>(), null, device);

    public static Tensor from_array<T>(T[] rawArray, params long[] dimensions) where T : unmanaged => tensor(rawArray, dimensions);

    // ---- factories ----

    private static Tensor Factory(Op op, ReadOnlySpan<long> size, ScalarType? dtype, Device? device, bool requires_grad)
    {
        CheckSize(size);
        CheckDevice(device);
        var t = op.Begin().Ints(size).Dtype(dtype).None().Dev(device).ToTensor();
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Factory(s_zeros, size, dtype, device, requires_grad);
    public static Tensor zeros(params long[] size) => zeros(size, null);
    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Factory(s_ones, size, dtype, device, requires_grad);
    public static Tensor ones(params long[] size) => ones(size, null);
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Factory(s_rand, size, dtype, device, requires_grad);
    public static Tensor rand(params long[] size) => rand(size, null);
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Factory(s_randn, size, dtype, device, requires_grad);
    public static Tensor randn(params long[] size) => randn(size, null);

    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckSize(size);
        CheckDevice(device);
        var t = s_empty.Begin().Ints(size).Dtype(dtype).None().Dev(device).ToTensor();
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    public static Tensor empty(params long[] size) => empty(size, null);

    public static Tensor full(long[] size, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckSize(size);
        CheckDevice(device);
        var t = s_full.Begin().Ints(size).S(value).Dtype(dtype).None().Dev(device).ToTensor();
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    public static Tensor arange(Scalar start, Scalar stop, Scalar step, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (step.ToDouble() == 0) throw new ArgumentException("arange: step must be nonzero", nameof(step));
        CheckDevice(device);
        var t = s_arange.Begin().S(start).S(stop).S(step).Dtype(dtype).None().Dev(device).ToTensor();
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    public static Tensor arange(Scalar start, Scalar stop, ScalarType? dtype = null, Device? device = null) => arange(start, stop, 1, dtype, device);
    public static Tensor arange(Scalar stop, ScalarType? dtype = null, Device? device = null) => arange(0, stop, 1, dtype, device);

    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        if (steps < 0) throw new ArgumentException("linspace: number of steps must be non-negative", nameof(steps));
        CheckDevice(device);
        var t = s_linspace.Begin().D(start).D(end).I(steps).Dtype(dtype).None().Dev(device).ToTensor();
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    /// <summary>Uniform integers in [low, high).</summary>
    public static Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        if (high <= low) throw new ArgumentException($"randint: high ({high}) must be greater than low ({low})", nameof(high));
        CheckSize(size);
        CheckDevice(device);
        return s_randint.Begin().I(low).I(high).Ints(size).Dtype(dtype ?? ScalarType.Int64).None().Dev(device).ToTensor();
    }

    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null) => randint(0, high, size, dtype, device);

    public static Tensor randperm(long n, ScalarType? dtype = null, Device? device = null)
    {
        CheckDevice(device);
        return s_randperm.Begin().I(n).Dtype(dtype ?? ScalarType.Int64).None().Dev(device).ToTensor();
    }

    public static Tensor eye(long n, ScalarType? dtype = null, Device? device = null)
    {
        CheckDevice(device);
        return s_eye.Begin().I(n).Dtype(dtype).None().Dev(device).ToTensor();
    }

    public static Tensor zeros_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Like(s_zeros_like, input, dtype, device, requires_grad);
    public static Tensor ones_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Like(s_ones_like, input, dtype, device, requires_grad);
    public static Tensor empty_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Like(s_empty_like, input, dtype, device, requires_grad);
    public static Tensor rand_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Like(s_rand_like, input, dtype, device, requires_grad);
    public static Tensor randn_like(Tensor input, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => Like(s_randn_like, input, dtype, device, requires_grad);

    public static Tensor full_like(Tensor input, Scalar value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        CheckDevice(device);
        var t = s_full_like.Begin().T(input).S(value).Dtype(dtype).None().Dev(device).ToTensor();
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    /// <summary>Bernoulli draws with probability p for every element of input's shape.</summary>
    public static Tensor bernoulli(Tensor input, double p) => s_bernoulli.Begin().T(input).D(p).ToTensor();

    private static Tensor Like(Op op, Tensor input, ScalarType? dtype, Device? device, bool requires_grad)
    {
        CheckDevice(device);
        var t = op.Begin().T(input).Dtype(dtype).None().Dev(device).ToTensor();
        if (requires_grad) t.requires_grad = true;
        return t;
    }

    private static void CheckSize(ReadOnlySpan<long> size)
    {
        foreach (var d in size)
            if (d < 0) throw new ArgumentException($"negative dimension {d} in size [{string.Join(",", size.ToArray())}]", nameof(size));
    }

    /// <summary>Fails early, with a clear message, when a CUDA device is asked for and absent.</summary>
    internal static void CheckDevice(Device? device)
    {
        if (device is null || device.type == DeviceType.CPU) return;
        if (device.type == DeviceType.CUDA)
        {
            if (!cuda.is_available())
                throw new InvalidOperationException($"Device '{device}' was requested but CUDA is not available: this libtorch is a CPU build or no GPU is present. Build MLRobust against a CUDA libtorch (TORCH_DIR) on a machine with a GPU, or use the CPU.");
            var count = cuda.device_count();
            if (device.index >= count)
                throw new InvalidOperationException($"Device '{device}' was requested but only {count} CUDA device(s) are present.");
        }
    }
}
