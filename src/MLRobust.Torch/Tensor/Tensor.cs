using System.Runtime.InteropServices;
using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    /// <summary>A libtorch tensor. Owns one native handle; dispose it (or let a dispose scope or,
    /// as a last resort, the finalizer do it). Using a disposed tensor throws
    /// <see cref="ObjectDisposedException"/>.</summary>
    public partial class Tensor : IDisposable
    {
        private IntPtr _handle;

        internal Tensor(IntPtr handle)
        {
            if (handle == IntPtr.Zero) throw new ArgumentException("null tensor handle", nameof(handle));
            _handle = handle;
            DisposeScope.Current?.Add(this);
        }

        /// <summary>Takes over the handle of <paramref name="source"/>, which becomes disposed.</summary>
        protected Tensor(Tensor source)
        {
            _handle = source.TakeHandle();
            DisposeScope.Current?.Add(this);
        }

        ~Tensor() => Dispose(false);

        internal DisposeScope? OwningScope { get; set; }

        /// <summary>The native handle (torch::Tensor*).</summary>
        public IntPtr Handle
        {
            get
            {
                var h = _handle;
                if (h == IntPtr.Zero) throw new ObjectDisposedException(nameof(Tensor), "This tensor has been disposed (explicitly, by its dispose scope, or by an in-place Parameter conversion).");
                return h;
            }
        }

        /// <summary>True once the tensor has been disposed.</summary>
        public bool IsInvalid => _handle == IntPtr.Zero;

        private IntPtr TakeHandle()
        {
            var h = Handle;
            _handle = IntPtr.Zero;
            OwningScope?.Remove(this);
            GC.SuppressFinalize(this);
            return h;
        }

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            var h = Interlocked.Exchange(ref _handle, IntPtr.Zero);
            if (disposing) OwningScope?.Remove(this);
            if (h != IntPtr.Zero) NativeMethods.mlr_tensor_free(h);
        }

        /// <summary>Moves this tensor to the dispose scope outside the current one.</summary>
        public Tensor MoveToOuterDisposeScope() => OwningScope is { } s ? s.MoveToOuter(this) : this;

        /// <summary>Removes this tensor from its dispose scope: the caller now owns it.</summary>
        public Tensor DetachFromDisposeScope() => OwningScope is { } s ? s.Detach(this) : this;

        /// <summary>A new tensor object over the same data and autograd identity (a fresh handle),
        /// as TorchSharp's alias(): what a function returns when it returns its input unchanged.</summary>
        public Tensor alias() => new(Check(NativeMethods.mlr_tensor_alias(Handle)));

        // ---- metadata ----

        public unsafe long[] shape
        {
            get
            {
                var buffer = stackalloc long[64];
                var n = NativeErrors.Check(NativeMethods.mlr_tensor_shape(Handle, buffer, 64), "shape");
                GC.KeepAlive(this);
                return new ReadOnlySpan<long>(buffer, n).ToArray();
            }
        }

        public unsafe long[] stride()
        {
            var buffer = stackalloc long[64];
            var n = NativeErrors.Check(NativeMethods.mlr_tensor_strides(Handle, buffer, 64), "stride");
            GC.KeepAlive(this);
            return new ReadOnlySpan<long>(buffer, n).ToArray();
        }

        public long size(int dim)
        {
            var s = shape;
            var d = dim < 0 ? dim + s.Length : dim;
            if (d < 0 || d >= s.Length) throw new ArgumentOutOfRangeException(nameof(dim), dim, $"dimension out of range for a tensor of {s.Length} dimensions");
            return s[d];
        }

        public long[] size() => shape;

        public long Dimensions => dim();
        public long dim() => NativeErrors.Check(Keep(NativeMethods.mlr_tensor_ndim(Handle)), "dim");
        public long ndim => dim();
        public long numel() => Keep(NativeMethods.mlr_tensor_numel(Handle)) is var n && n < 0 ? Fail<long>("numel") : n;
        public long NumberOfElements => numel();
        public ScalarType dtype => (ScalarType)NativeErrors.Check(Keep(NativeMethods.mlr_tensor_dtype(Handle)), "dtype");
        public long element_size() => dtype.ElementSize();
        public bool is_contiguous() => NativeErrors.Check(Keep(NativeMethods.mlr_tensor_is_contiguous(Handle)), "is_contiguous") == 1;

        public unsafe Device device
        {
            get
            {
                int type, index;
                NativeErrors.Check(NativeMethods.mlr_tensor_device(Handle, &type, &index), "device");
                GC.KeepAlive(this);
                return new Device((DeviceType)type, index);
            }
        }

        public DeviceType device_type => device.type;
        public bool is_cuda => device_type == DeviceType.CUDA;

        public override string ToString()
        {
            if (IsInvalid) return "Tensor (disposed)";
            return $"[{string.Join("x", shape)}], type = {dtype}, device = {device}";
        }

        /// <summary>The values, formatted by libtorch (like printing a tensor in Python).</summary>
        public string ToString(bool withData)
        {
            if (!withData) return ToString();
            var p = NativeErrors.CheckHandle(NativeMethods.mlr_tensor_to_string(Handle), "ToString");
            GC.KeepAlive(this);
            return Marshal.PtrToStringUTF8(p) ?? "";
        }

        // ---- helpers shared by the partial files ----

        private T Keep<T>(T value)
        {
            GC.KeepAlive(this);
            return value;
        }

        private static T Fail<T>(string context)
        {
            NativeErrors.Throw(context);
            return default!;
        }

        private static IntPtr Check(IntPtr handle, [System.Runtime.CompilerServices.CallerMemberName] string context = "")
            => NativeErrors.CheckHandle(handle, context);
    }
}
