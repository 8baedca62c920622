using System.Runtime.InteropServices;

namespace MLRobust.Torch.Native;

/// <summary>The C ABI of the shim in native/ (libmlrobust_torch.so). Every call that can fail
/// reports through <see cref="mlr_last_error"/>; callers go through <see cref="NativeErrors"/>.</summary>
internal static unsafe class NativeMethods
{
    internal const string Library = "mlrobust_torch";

    [DllImport(Library)] internal static extern IntPtr mlr_last_error();
    [DllImport(Library)] internal static extern void mlr_clear_error();

    [DllImport(Library)] internal static extern IntPtr mlr_torch_version();
    [DllImport(Library)] internal static extern int mlr_set_num_threads(int n);
    [DllImport(Library)] internal static extern int mlr_get_num_threads();
    [DllImport(Library)] internal static extern int mlr_manual_seed(ulong seed);
    [DllImport(Library)] internal static extern int mlr_cuda_is_available();
    [DllImport(Library)] internal static extern int mlr_cudnn_is_available();
    [DllImport(Library)] internal static extern int mlr_cuda_device_count();
    [DllImport(Library)] internal static extern int mlr_cuda_synchronize(int device);
    [DllImport(Library)] internal static extern int mlr_set_deterministic(int enabled);

    [DllImport(Library)] internal static extern void mlr_tensor_free(IntPtr t);
    [DllImport(Library)] internal static extern IntPtr mlr_tensor_from_data(void* data, long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [DllImport(Library)] internal static extern int mlr_tensor_copy_data(IntPtr t, void* dst, long nbytes);
    [DllImport(Library)] internal static extern int mlr_tensor_copy_from(IntPtr t, void* src, long nbytes);
    [DllImport(Library)] internal static extern int mlr_tensor_ndim(IntPtr t);
    [DllImport(Library)] internal static extern int mlr_tensor_shape(IntPtr t, long* output, int capacity);
    [DllImport(Library)] internal static extern int mlr_tensor_strides(IntPtr t, long* output, int capacity);
    [DllImport(Library)] internal static extern long mlr_tensor_numel(IntPtr t);
    [DllImport(Library)] internal static extern int mlr_tensor_dtype(IntPtr t);
    [DllImport(Library)] internal static extern int mlr_tensor_device(IntPtr t, int* type, int* index);
    [DllImport(Library)] internal static extern int mlr_tensor_is_contiguous(IntPtr t);
    [DllImport(Library)] internal static extern int mlr_tensor_requires_grad(IntPtr t);
    [DllImport(Library)] internal static extern int mlr_tensor_set_requires_grad(IntPtr t, int value);
    [DllImport(Library)] internal static extern int mlr_tensor_is_leaf(IntPtr t);
    [DllImport(Library)] internal static extern int mlr_tensor_retain_grad(IntPtr t);
    [DllImport(Library)] internal static extern IntPtr mlr_tensor_grad(IntPtr t);
    [DllImport(Library)] internal static extern int mlr_tensor_set_grad(IntPtr t, IntPtr grad);
    [DllImport(Library)] internal static extern IntPtr mlr_tensor_alias(IntPtr t);
    [DllImport(Library)] internal static extern int mlr_tensor_is_same(IntPtr a, IntPtr b);
    [DllImport(Library)] internal static extern int mlr_tensor_item(IntPtr t, double* d, long* l);
    [DllImport(Library)] internal static extern IntPtr mlr_tensor_to_string(IntPtr t);
    [DllImport(Library)] internal static extern IntPtr mlr_tensor_data_ptr(IntPtr t);

    [DllImport(Library)] internal static extern int mlr_grad_enabled();
    [DllImport(Library)] internal static extern void mlr_set_grad_enabled(int enabled);
    [DllImport(Library)] internal static extern int mlr_backward(IntPtr* tensors, int n, IntPtr* grads, int ngrads, int retainGraph, int createGraph);
    [DllImport(Library)] internal static extern int mlr_autograd_grad(IntPtr* outputs, int nout, IntPtr* inputs, int nin, IntPtr* gradOutputs, int ngradOutputs, int retainGraph, int createGraph, int allowUnused, IntPtr* results);

    [DllImport(Library)] internal static extern IntPtr mlr_op_find([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string overload);
    [DllImport(Library)] internal static extern IntPtr mlr_op_schema(IntPtr op);
    [DllImport(Library)] internal static extern int mlr_op_call(IntPtr op, NativeArg* args, int nargs, NativeArg* outs, int outcap);
}

/// <summary>One tagged argument or result of <c>mlr_op_call</c>; the layout matches MlrArg in ops.cpp.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeArg
{
    public ArgKind Kind;
    public int Length;
    public long I;
    public double D;
    public IntPtr P;
}

internal enum ArgKind : int
{
    None = 0,
    Tensor = 1,
    Int = 2,
    Double = 3,
    Bool = 4,
    IntList = 5,
    TensorList = 6,
    Device = 7,
    String = 8,
    DoubleList = 9,
    OptionalTensorList = 10,
    BoolList = 11,
    Default = 12,
}
