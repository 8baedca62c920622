using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private static readonly Op s_prodDim = new("aten::prod", "dim_int");

        // C# converts the literal 0 to any enum, and prefers the overload that needs fewer default
        // arguments: without these exact-int overloads, x.sum(0) would bind to sum(ScalarType? type)
        // and sum everything as Byte, and x.mean(0) would fail. An int argument matches these exactly.
        public Tensor sum(int dim, bool keepdim = false, ScalarType? type = null) => sum(new long[] { dim }, keepdim, type);
        public Tensor mean(int dim, bool keepdim = false, ScalarType? type = null) => mean(new long[] { dim }, keepdim, type);
        public Tensor prod(int dim, bool keepdim = false, ScalarType? type = null) => prod((long)dim, keepdim, type);

        /// <summary>Product along one dimension.</summary>
        public Tensor prod(long dim, bool keepdim = false, ScalarType? type = null) => s_prodDim.Begin().T(this).I(dim).B(keepdim).Dtype(type).ToTensor();
    }
}
