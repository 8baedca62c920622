using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private static readonly Op s_reshape = new("aten::reshape"), s_view = new("aten::view");
        private static readonly Op s_permute = new("aten::permute"), s_transpose = new("aten::transpose", "int"), s_t = new("aten::t");
        private static readonly Op s_flatten = new("aten::flatten", "using_ints"), s_unflatten = new("aten::unflatten", "int");
        private static readonly Op s_unsqueeze = new("aten::unsqueeze"), s_squeeze = new("aten::squeeze"), s_squeezeDim = new("aten::squeeze", "dim");
        private static readonly Op s_expand = new("aten::expand"), s_expand_as = new("aten::expand_as"), s_repeat = new("aten::repeat");
        private static readonly Op s_contiguous = new("aten::contiguous"), s_clone = new("aten::clone");
        private static readonly Op s_narrow = new("aten::narrow"), s_select = new("aten::select", "int"), s_slice = new("aten::slice", "Tensor");
        private static readonly Op s_index_select = new("aten::index_select"), s_masked_select = new("aten::masked_select");
        private static readonly Op s_masked_fill = new("aten::masked_fill", "Scalar"), s_masked_fill_ = new("aten::masked_fill_", "Scalar");
        private static readonly Op s_index = new("aten::index", "Tensor"), s_index_put_ = new("aten::index_put_");
        private static readonly Op s_gather = new("aten::gather"), s_scatter = new("aten::scatter", "src"), s_scatterV = new("aten::scatter", "value");
        private static readonly Op s_scatter_ = new("aten::scatter_", "src"), s_scatterV_ = new("aten::scatter_", "value");
        private static readonly Op s_flip = new("aten::flip"), s_roll = new("aten::roll");
        private static readonly Op s_chunk = new("aten::chunk"), s_split = new("aten::split", "Tensor"), s_split_sizes = new("aten::split_with_sizes"), s_unbind = new("aten::unbind", "int");
        private static readonly Op s_to_dtype = new("aten::to", "dtype"), s_to_device = new("aten::to", "device");
        private static readonly Op s_one_hot = new("aten::one_hot"), s_nonzero = new("aten::nonzero");

        public Tensor reshape(params long[] shape) => s_reshape.Begin().T(this).Ints(shape).ToTensor();
        public Tensor view(params long[] shape) => s_view.Begin().T(this).Ints(shape).ToTensor();
        public Tensor view_as(Tensor other) => view(other.shape);
        public Tensor reshape_as(Tensor other) => reshape(other.shape);
        public Tensor permute(params long[] dims) => s_permute.Begin().T(this).Ints(dims).ToTensor();
        public Tensor transpose(long dim0, long dim1) => s_transpose.Begin().T(this).I(dim0).I(dim1).ToTensor();
        public Tensor t() => s_t.Begin().T(this).ToTensor();
        public Tensor T => t();
        public Tensor flatten(long start_dim = 0, long end_dim = -1) => s_flatten.Begin().T(this).I(start_dim).I(end_dim).ToTensor();
        public Tensor unflatten(long dim, params long[] sizes) => s_unflatten.Begin().T(this).I(dim).Ints(sizes).ToTensor();
        public Tensor unsqueeze(long dim) => s_unsqueeze.Begin().T(this).I(dim).ToTensor();
        public Tensor squeeze() => s_squeeze.Begin().T(this).ToTensor();
        public Tensor squeeze(long dim) => s_squeezeDim.Begin().T(this).I(dim).ToTensor();
        public Tensor expand(params long[] sizes) => s_expand.Begin().T(this).Ints(sizes).ToTensor();
        public Tensor expand_as(Tensor other) => s_expand_as.Begin().T(this).T(other).ToTensor();
        public Tensor repeat(params long[] repeats) => s_repeat.Begin().T(this).Ints(repeats).ToTensor();
        public Tensor contiguous() => s_contiguous.Begin().T(this).ToTensor();
        public Tensor clone() => s_clone.Begin().T(this).ToTensor();
        public Tensor flip(params long[] dims) => s_flip.Begin().T(this).Ints(dims).ToTensor();
        public Tensor roll(long shifts, long dims) => s_roll.Begin().T(this).Ints(shifts).Ints(dims).ToTensor();

        // ---- indexing and slicing ----

        public Tensor narrow(long dim, long start, long length) => s_narrow.Begin().T(this).I(dim).I(start).I(length).ToTensor();
        public Tensor select(long dim, long index) => s_select.Begin().T(this).I(dim).I(index).ToTensor();
        public Tensor slice(long dim, long? start, long? end, long step = 1) => s_slice.Begin().T(this).I(dim).I(start).I(end).I(step).ToTensor();
        public Tensor index_select(long dim, Tensor index) => s_index_select.Begin().T(this).I(dim).T(index).ToTensor();
        public Tensor masked_select(Tensor mask) => s_masked_select.Begin().T(this).T(mask).ToTensor();
        public Tensor masked_fill(Tensor mask, Scalar value) => s_masked_fill.Begin().T(this).T(mask).S(value).ToTensor();
        public Tensor masked_fill_(Tensor mask, Scalar value) { s_masked_fill_.Begin().T(this).T(mask).S(value).Run(); return this; }
        public Tensor gather(long dim, Tensor index) => s_gather.Begin().T(this).I(dim).T(index).ToTensor();
        public Tensor scatter(long dim, Tensor index, Tensor src) => s_scatter.Begin().T(this).I(dim).T(index).T(src).ToTensor();
        public Tensor scatter(long dim, Tensor index, Scalar value) => s_scatterV.Begin().T(this).I(dim).T(index).S(value).ToTensor();
        public Tensor scatter_(long dim, Tensor index, Tensor src) { s_scatter_.Begin().T(this).I(dim).T(index).T(src).Run(); return this; }
        public Tensor scatter_(long dim, Tensor index, Scalar value) { s_scatterV_.Begin().T(this).I(dim).T(index).S(value).Run(); return this; }
        public Tensor nonzero() => s_nonzero.Begin().T(this).ToTensor();

        /// <summary>Advanced indexing, as <c>x[i0, i1, …]</c> with index tensors (long indices or
        /// boolean masks) in Python; null leaves a dimension whole.</summary>
        public Tensor index(params Tensor?[] indices) => s_index.Begin().T(this).OptionalTensors(indices).ToTensor();

        /// <summary>x[indices] = values (accumulate: +=).</summary>
        public Tensor index_put_(Tensor values, bool accumulate, params Tensor?[] indices)
        {
            s_index_put_.Begin().T(this).OptionalTensors(indices).T(values).B(accumulate).Run();
            return this;
        }

        public Tensor index_put_(Tensor values, params Tensor?[] indices) => index_put_(values, false, indices);

        /// <summary>Boolean-mask selection, as <c>x[mask]</c>.</summary>
        public Tensor this[Tensor mask] => index(mask);

        /// <summary><c>x[i]</c>: the i-th slice along the first dimension.</summary>
        public Tensor this[long i] => select(0, i);

        public Tensor[] chunk(long chunks, long dim = 0) => s_chunk.Begin().T(this).I(chunks).I(dim).ToTensors();
        public Tensor[] split(long split_size, long dim = 0) => s_split.Begin().T(this).I(split_size).I(dim).ToTensors();
        public Tensor[] split(long[] split_sizes, long dim = 0) => s_split_sizes.Begin().T(this).Ints(split_sizes).I(dim).ToTensors();
        public Tensor[] unbind(long dim = 0) => s_unbind.Begin().T(this).I(dim).ToTensors();

        // ---- type and device ----

        public Tensor to_type(ScalarType type, bool copy = false) => s_to_dtype.Begin().T(this).I((long)type).B(false).B(copy).ToTensor();
        public Tensor to(ScalarType type, bool copy = false) => to_type(type, copy);

        public Tensor to(Device device, bool copy = false, bool non_blocking = false)
        {
            CheckDevice(device);
            return s_to_device.Begin().T(this).Dev(device).I((long)dtype).B(non_blocking).B(copy).ToTensor();
        }

        public Tensor to(Device device, ScalarType type)
        {
            CheckDevice(device);
            return s_to_device.Begin().T(this).Dev(device).I((long)type).B(false).B(false).ToTensor();
        }

        public Tensor to(string device) => to(new Device(device));
        public Tensor cpu() => to(CPU);
        public Tensor cuda(int index = -1) => to(new Device(DeviceType.CUDA, index));
        public Tensor @float() => to_type(ScalarType.Float32);
        public Tensor @double() => to_type(ScalarType.Float64);
        public Tensor @long() => to_type(ScalarType.Int64);
        public Tensor @int() => to_type(ScalarType.Int32);
        public Tensor @bool() => to_type(ScalarType.Bool);
        public Tensor @byte() => to_type(ScalarType.Byte);

        public Tensor one_hot(long num_classes = -1) => s_one_hot.Begin().T(this).I(num_classes).ToTensor();
    }

    private static readonly Op s_cat = new("aten::cat"), s_stack = new("aten::stack"), s_where = new("aten::where", "self");
    private static readonly Op s_whereS = new("aten::where", "ScalarOther");

    public static Tensor cat(IList<Tensor> tensors, long dim = 0)
    {
        if (tensors.Count == 0) throw new ArgumentException("cat: expected a non-empty list of tensors", nameof(tensors));
        return s_cat.Begin().Tensors((IReadOnlyList<Tensor>)tensors.ToArray()).I(dim).ToTensor();
    }

    public static Tensor concat(IList<Tensor> tensors, long dim = 0) => cat(tensors, dim);

    public static Tensor stack(IEnumerable<Tensor> tensors, long dim = 0)
    {
        var list = tensors.ToArray();
        if (list.Length == 0) throw new ArgumentException("stack: expected a non-empty list of tensors", nameof(tensors));
        return s_stack.Begin().Tensors(list).I(dim).ToTensor();
    }

    /// <summary>Elementwise choice: x where condition holds, else y.</summary>
    public static Tensor where(Tensor condition, Tensor x, Tensor y) => s_where.Begin().T(condition).T(x).T(y).ToTensor();
    public static Tensor where(Tensor condition, Tensor x, Scalar y) => s_whereS.Begin().T(condition).T(x).S(y).ToTensor();
}
