using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            private static readonly Op s_max_pool2d = new("aten::max_pool2d"), s_max_pool2d_with_indices = new("aten::max_pool2d_with_indices");
            private static readonly Op s_avg_pool2d = new("aten::avg_pool2d");
            private static readonly Op s_adaptive_avg_pool2d = new("aten::adaptive_avg_pool2d"), s_adaptive_max_pool2d = new("aten::adaptive_max_pool2d");

            /// <summary>2-D max pooling; stride defaults to the kernel size; ceil_mode keeps a last,
            /// partial window.</summary>
            public static Tensor max_pool2d(Tensor input, long[] kernel_size, long[]? strides = null, long[]? padding = null,
                long[]? dilation = null, bool ceil_mode = false)
            {
                var k = Pair(kernel_size ?? throw new ArgumentNullException(nameof(kernel_size)), 1, "max_pool2d", nameof(kernel_size));
                return s_max_pool2d.Begin().T(input).Ints(k).Ints(strides is null ? k : Pair(strides, 1, "max_pool2d", nameof(strides)))
                    .Ints(Pair(padding, 0, "max_pool2d", nameof(padding))).Ints(Pair(dilation, 1, "max_pool2d", nameof(dilation))).B(ceil_mode).ToTensor();
            }

            public static Tensor max_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false)
                => max_pool2d(input, new[] { kernel_size }, stride is { } s ? new[] { s } : null, new[] { padding }, new[] { dilation }, ceil_mode);

            /// <summary>max_pool2d that also returns the flat index (within each H·W plane) of every maximum.</summary>
            public static (Tensor output, Tensor indices) max_pool2d_with_indices(Tensor input, long[] kernel_size, long[]? strides = null,
                long[]? padding = null, long[]? dilation = null, bool ceil_mode = false)
            {
                var k = Pair(kernel_size ?? throw new ArgumentNullException(nameof(kernel_size)), 1, "max_pool2d", nameof(kernel_size));
                return s_max_pool2d_with_indices.Begin().T(input).Ints(k).Ints(strides is null ? k : Pair(strides, 1, "max_pool2d", nameof(strides)))
                    .Ints(Pair(padding, 0, "max_pool2d", nameof(padding))).Ints(Pair(dilation, 1, "max_pool2d", nameof(dilation))).B(ceil_mode).ToTensor2();
            }

            /// <summary>2-D average pooling; stride defaults to the kernel size. count_include_pad
            /// counts zero padding in the divisor; divisor_override replaces the divisor.</summary>
            public static Tensor avg_pool2d(Tensor input, long[] kernel_size, long[]? strides = null, long[]? padding = null,
                bool ceil_mode = false, bool count_include_pad = true, long? divisor_override = null)
            {
                var k = Pair(kernel_size ?? throw new ArgumentNullException(nameof(kernel_size)), 1, "avg_pool2d", nameof(kernel_size));
                if (divisor_override is <= 0) throw new ArgumentOutOfRangeException(nameof(divisor_override), divisor_override, "avg_pool2d: divisor_override must be positive");
                return s_avg_pool2d.Begin().T(input).Ints(k).Ints(strides is null ? k : Pair(strides, 1, "avg_pool2d", nameof(strides)))
                    .Ints(Pair(padding, 0, "avg_pool2d", nameof(padding))).B(ceil_mode).B(count_include_pad).I(divisor_override).ToTensor();
            }

            public static Tensor avg_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0,
                bool ceil_mode = false, bool count_include_pad = true, long? divisor_override = null)
                => avg_pool2d(input, new[] { kernel_size }, stride is { } s ? new[] { s } : null, new[] { padding }, ceil_mode, count_include_pad, divisor_override);

            /// <summary>Average pooling to a fixed output size (height, width).</summary>
            public static Tensor adaptive_avg_pool2d(Tensor input, (long, long) output_size)
                => s_adaptive_avg_pool2d.Begin().T(input).Ints(output_size.Item1, output_size.Item2).ToTensor();

            public static Tensor adaptive_avg_pool2d(Tensor input, long output_size) => adaptive_avg_pool2d(input, (output_size, output_size));

            /// <summary>Max pooling to a fixed output size (height, width).</summary>
            public static Tensor adaptive_max_pool2d(Tensor input, (long, long) output_size)
            {
                var (output, indices) = s_adaptive_max_pool2d.Begin().T(input).Ints(output_size.Item1, output_size.Item2).ToTensor2();
                indices.Dispose();
                return output;
            }

            public static Tensor adaptive_max_pool2d(Tensor input, long output_size) => adaptive_max_pool2d(input, (output_size, output_size));
        }
    }
}
