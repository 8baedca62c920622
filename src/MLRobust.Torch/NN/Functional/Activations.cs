using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>torch.nn.functional: stateless layers and losses.</summary>
        public static partial class functional
        {
            private static readonly Op s_leaky_relu = new("aten::leaky_relu"), s_leaky_relu_ = new("aten::leaky_relu_");
            private static readonly Op s_softmax = new("aten::softmax", "int"), s_log_softmax = new("aten::log_softmax", "int");
            private static readonly Op s_gelu = new("aten::gelu"), s_silu = new("aten::silu"), s_softplus = new("aten::softplus");
            private static readonly Op s_elu = new("aten::elu"), s_hardtanh = new("aten::hardtanh"), s_log_sigmoid = new("aten::log_sigmoid");

            // In-place variants return a fresh handle to the (modified) input, so callers can dispose
            // results without caring whether the function worked in place.

            public static Tensor relu(Tensor x, bool inplace = false) => inplace ? x.relu_().alias() : x.relu();

            public static Tensor leaky_relu(Tensor input, double negative_slope = 0.01, bool inplace = false)
            {
                if (!inplace) return s_leaky_relu.Begin().T(input).S(negative_slope).ToTensor();
                s_leaky_relu_.Begin().T(input).S(negative_slope).Run();
                return input.alias();
            }

            public static Tensor sigmoid(Tensor input) => input.sigmoid();

            public static Tensor tanh(Tensor input) => input.tanh();

            public static Tensor elu(Tensor input, double alpha = 1.0) => s_elu.Begin().T(input).S(alpha).ToTensor();

            /// <summary>GELU, exact ("none") or with the tanh approximation.</summary>
            public static Tensor gelu(Tensor input, bool tanh_approximation = false) => s_gelu.Begin().T(input).Str(tanh_approximation ? "tanh" : "none").ToTensor();

            public static Tensor silu(Tensor input) => s_silu.Begin().T(input).ToTensor();

            public static Tensor softplus(Tensor input, double beta = 1, double threshold = 20) => s_softplus.Begin().T(input).S(beta).S(threshold).ToTensor();

            public static Tensor hardtanh(Tensor input, double min_val = -1, double max_val = 1) => s_hardtanh.Begin().T(input).S(min_val).S(max_val).ToTensor();

            public static Tensor logsigmoid(Tensor input) => s_log_sigmoid.Begin().T(input).ToTensor();

            public static Tensor softmax(Tensor input, long dim, ScalarType? dtype = null) => s_softmax.Begin().T(input).I(dim).Dtype(dtype).ToTensor();

            public static Tensor log_softmax(Tensor input, long dim, ScalarType? dtype = null) => s_log_softmax.Begin().T(input).I(dim).Dtype(dtype).ToTensor();
        }
    }
}
