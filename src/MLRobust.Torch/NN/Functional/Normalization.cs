using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            private static readonly Op s_batch_norm = new("aten::batch_norm"), s_layer_norm = new("aten::layer_norm");
            private static readonly Op s_constant_pad_nd = new("aten::constant_pad_nd"), s_avg_pool3d = new("aten::avg_pool3d");

            /// <summary>Batch normalisation over the channel dimension (1). In training it normalises
            /// with the batch statistics and updates running_mean/var in place (if given) with
            /// momentum; otherwise it uses the running statistics.</summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5)
            {
                if (training)
                {
                    var shape = input.shape;
                    if (shape.Length < 2) throw new ArgumentException($"batch_norm: expected an input with at least 2 dimensions, got {shape.Length}", nameof(input));
                    long perChannel = shape[0];
                    for (var d = 2; d < shape.Length; d++) perChannel *= shape[d];
                    if (perChannel == 1)
                        throw new ArgumentException($"batch_norm: expected more than 1 value per channel when training, got input of shape [{string.Join(", ", shape)}]", nameof(input));
                }
                return s_batch_norm.Begin().T(input).T(weight).T(bias).T(running_mean).T(running_var).B(training).D(momentum).D(eps).B(true).ToTensor();
            }

            /// <summary>Layer normalisation over the trailing <paramref name="normalized_shape"/> dimensions.</summary>
            public static Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
                => s_layer_norm.Begin().T(input).Ints(normalized_shape).T(weight).T(bias).D(eps).ToTensor();

            /// <summary>Local response normalisation across channels (AlexNet), exactly as PyTorch:
            /// x / (k + alpha · mean over <paramref name="size"/> neighbouring channels of x²)^beta, the
            /// window zero-padded by size/2 before and (size-1)/2 after.</summary>
            public static Tensor local_response_norm(Tensor input, long size, double alpha = 1e-4, double beta = 0.75, double k = 1.0)
            {
                if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "local_response_norm: size must be at least 1");
                var sizes = input.shape;
                if (sizes.Length < 3) throw new ArgumentException($"local_response_norm: expected an input with 3 or more dimensions, got {sizes.Length}", nameof(input));
                if (input.numel() == 0) return input.alias();
                using var scope = NewDisposeScope();
                var div = input.mul(input).unsqueeze(1);
                if (sizes.Length == 3)
                {
                    div = s_constant_pad_nd.Begin().T(div).Ints(new long[] { 0, 0, size / 2, (size - 1) / 2 }).ToTensor();
                    div = avg_pool2d(div, new[] { size, 1 }, new long[] { 1, 1 }).squeeze(1);
                }
                else
                {
                    div = div.view(sizes[0], 1, sizes[1], sizes[2], -1);
                    div = s_constant_pad_nd.Begin().T(div).Ints(new long[] { 0, 0, 0, 0, size / 2, (size - 1) / 2 }).ToTensor();
                    div = s_avg_pool3d.Begin().T(div).Ints(new[] { size, 1L, 1L }).Ints(new[] { 1L, 1L, 1L }).ToTensor().squeeze(1);
                    div = div.view(sizes);
                }
                div = div.mul(alpha).add(k).pow(beta);
                return input.div(div).MoveToOuterDisposeScope();
            }
        }
    }
}
