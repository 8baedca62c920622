using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private static readonly Op s_sum = new("aten::sum"), s_sumDim = new("aten::sum", "dim_IntList");
        private static readonly Op s_mean = new("aten::mean"), s_meanDim = new("aten::mean", "dim");
        private static readonly Op s_max = new("aten::max"), s_maxDim = new("aten::max", "dim");
        private static readonly Op s_min = new("aten::min"), s_minDim = new("aten::min", "dim");
        private static readonly Op s_amax = new("aten::amax"), s_amin = new("aten::amin");
        private static readonly Op s_argmax = new("aten::argmax"), s_argmin = new("aten::argmin");
        private static readonly Op s_std = new("aten::std"), s_stdDim = new("aten::std", "dim");
        private static readonly Op s_var = new("aten::var"), s_varDim = new("aten::var", "dim");
        private static readonly Op s_norm = new("aten::norm", "Scalar"), s_normDim = new("aten::norm", "ScalarOpt_dim");
        private static readonly Op s_prod = new("aten::prod");
        private static readonly Op s_logsumexp = new("aten::logsumexp");
        private static readonly Op s_cumsum = new("aten::cumsum");
        private static readonly Op s_all = new("aten::all"), s_any = new("aten::any");
        private static readonly Op s_allDim = new("aten::all", "dim"), s_anyDim = new("aten::any", "dim");
        private static readonly Op s_topk = new("aten::topk"), s_sort = new("aten::sort"), s_argsort = new("aten::argsort");
        private static readonly Op s_count_nonzero = new("aten::count_nonzero");

        public Tensor sum(ScalarType? type = null) => s_sum.Begin().T(this).Dtype(type).ToTensor();
        public Tensor sum(long dim, bool keepdim = false, ScalarType? type = null) => sum(new[] { dim }, keepdim, type);
        public Tensor sum(long[] dim, bool keepdim = false, ScalarType? type = null) => s_sumDim.Begin().T(this).Ints(dim).B(keepdim).Dtype(type).ToTensor();
        public Tensor mean(ScalarType? type = null) => s_mean.Begin().T(this).Dtype(type).ToTensor();
        public Tensor mean(long dim, bool keepdim = false, ScalarType? type = null) => mean(new[] { dim }, keepdim, type);
        public Tensor mean(long[] dimensions, bool keepdim = false, ScalarType? type = null) => s_meanDim.Begin().T(this).Ints(dimensions).B(keepdim).Dtype(type).ToTensor();
        public Tensor prod(ScalarType? type = null) => s_prod.Begin().T(this).Dtype(type).ToTensor();

        /// <summary>The largest element.</summary>
        public Tensor max() => s_max.Begin().T(this).ToTensor();
        /// <summary>Largest values along a dimension and their indices.</summary>
        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false) => s_maxDim.Begin().T(this).I(dim).B(keepdim).ToTensor2();
        public Tensor min() => s_min.Begin().T(this).ToTensor();
        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false) => s_minDim.Begin().T(this).I(dim).B(keepdim).ToTensor2();
        public Tensor amax(long[] dims, bool keepdim = false) => s_amax.Begin().T(this).Ints(dims).B(keepdim).ToTensor();
        public Tensor amin(long[] dims, bool keepdim = false) => s_amin.Begin().T(this).Ints(dims).B(keepdim).ToTensor();
        public Tensor argmax() => s_argmax.Begin().T(this).None().ToTensor();
        public Tensor argmax(long dim, bool keepdim = false) => s_argmax.Begin().T(this).I(dim).B(keepdim).ToTensor();
        public Tensor argmin() => s_argmin.Begin().T(this).None().ToTensor();
        public Tensor argmin(long dim, bool keepdim = false) => s_argmin.Begin().T(this).I(dim).B(keepdim).ToTensor();

        public Tensor std(bool unbiased = true) => s_std.Begin().T(this).B(unbiased).ToTensor();
        public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => std(new[] { dim }, unbiased, keepdim);
        public Tensor std(long[] dimensions, bool unbiased = true, bool keepdim = false) => s_stdDim.Begin().T(this).Ints(dimensions).B(unbiased).B(keepdim).ToTensor();
        public Tensor var(bool unbiased = true) => s_var.Begin().T(this).B(unbiased).ToTensor();
        public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => var(new[] { dim }, unbiased, keepdim);
        public Tensor var(long[] dimensions, bool unbiased = true, bool keepdim = false) => s_varDim.Begin().T(this).Ints(dimensions).B(unbiased).B(keepdim).ToTensor();

        /// <summary>The p-norm of all elements (p = 2: Euclidean; double.PositiveInfinity: max-abs).</summary>
        public Tensor norm(double p = 2) => s_norm.Begin().T(this).S(p).ToTensor();
        public Tensor norm(long dim, bool keepdim = false, double p = 2) => norm(new[] { dim }, keepdim, p);
        public Tensor norm(long[] dims, bool keepdim = false, double p = 2) => s_normDim.Begin().T(this).S(p).Ints(dims).B(keepdim).ToTensor();

        public Tensor logsumexp(long dim, bool keepdim = false) => s_logsumexp.Begin().T(this).Ints(dim).B(keepdim).ToTensor();
        public Tensor cumsum(long dim, ScalarType? type = null) => s_cumsum.Begin().T(this).I(dim).Dtype(type).ToTensor();
        public Tensor all() => s_all.Begin().T(this).ToTensor();
        public Tensor all(long dim, bool keepdim = false) => s_allDim.Begin().T(this).I(dim).B(keepdim).ToTensor();
        public Tensor any() => s_any.Begin().T(this).ToTensor();
        public Tensor any(long dim, bool keepdim = false) => s_anyDim.Begin().T(this).I(dim).B(keepdim).ToTensor();
        public Tensor count_nonzero() => s_count_nonzero.Begin().T(this).None().ToTensor();

        public (Tensor values, Tensor indexes) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
            => s_topk.Begin().T(this).I(k).I(dim).B(largest).B(sorted).ToTensor2();

        public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false)
            => s_sort.Begin().T(this).I(dim).B(descending).ToTensor2();

        public Tensor argsort(long dim = -1, bool descending = false) => s_argsort.Begin().T(this).I(dim).B(descending).ToTensor();
    }
}
