using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            private static readonly Op s_conv2d = new("aten::conv2d"), s_conv2d_padding = new("aten::conv2d", "padding");
            private static readonly Op s_conv_transpose2d = new("aten::conv_transpose2d", "input");
            private static readonly Op s_linear = new("aten::linear");
            private static readonly Op s_im2col = new("aten::im2col"), s_col2im = new("aten::col2im");

            /// <summary>2-D convolution of [N, C_in, H, W] (or unbatched [C_in, H, W]) with weight
            /// [C_out, C_in/groups, kH, kW]. strides, padding and dilation take one value for both
            /// dimensions or two (height, width); null means 1, 0, 1.</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? strides = null,
                long[]? padding = null, long[]? dilation = null, long groups = 1)
            {
                CheckGroups(groups, "conv2d");
                return s_conv2d.Begin().T(input).T(weight).T(bias)
                    .Ints(Pair(strides, 1, "conv2d", nameof(strides))).Ints(Pair(padding, 0, "conv2d", nameof(padding)))
                    .Ints(Pair(dilation, 1, "conv2d", nameof(dilation))).I(groups).ToTensor();
            }

            /// <summary>conv2d with padding "valid" or "same".</summary>
            public static Tensor conv2d_padding(Tensor input, Tensor weight, Tensor? bias = null, long[]? strides = null,
                Padding padding = Padding.Valid, long[]? dilation = null, long groups = 1)
            {
                CheckGroups(groups, "conv2d");
                var mode = padding switch
                {
                    Padding.Valid => "valid",
                    Padding.Same => "same",
                    _ => throw new ArgumentOutOfRangeException(nameof(padding), padding, "conv2d: padding must be Valid or Same"),
                };
                return s_conv2d_padding.Begin().T(input).T(weight).T(bias).Ints(Pair(strides, 1, "conv2d", nameof(strides)))
                    .Str(mode).Ints(Pair(dilation, 1, "conv2d", nameof(dilation))).I(groups).ToTensor();
            }

            /// <summary>Transposed 2-D convolution ("deconvolution") with weight [C_in, C_out/groups, kH, kW].</summary>
            public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? strides = null,
                long[]? padding = null, long[]? output_padding = null, long groups = 1, long[]? dilation = null)
            {
                CheckGroups(groups, "conv_transpose2d");
                return s_conv_transpose2d.Begin().T(input).T(weight).T(bias)
                    .Ints(Pair(strides, 1, "conv_transpose2d", nameof(strides))).Ints(Pair(padding, 0, "conv_transpose2d", nameof(padding)))
                    .Ints(Pair(output_padding, 0, "conv_transpose2d", nameof(output_padding))).I(groups)
                    .Ints(Pair(dilation, 1, "conv_transpose2d", nameof(dilation))).ToTensor();
            }

            /// <summary>y = x Wᵀ + b with weight [out, in].</summary>
            public static Tensor linear(Tensor input, Tensor weights, Tensor? bias = null) => s_linear.Begin().T(input).T(weights).T(bias).ToTensor();

            /// <summary>im2col: sliding blocks of [N, C, H, W] as columns [N, C·kH·kW, L].</summary>
            public static Tensor unfold(Tensor input, long kernel_size, long dilation = 1, long padding = 0, long stride = 1)
                => unfold(input, (kernel_size, kernel_size), (dilation, dilation), (padding, padding), (stride, stride));

            public static Tensor unfold(Tensor input, (long, long) kernel_size, (long, long)? dilation = null, (long, long)? padding = null, (long, long)? stride = null)
            {
                var d = dilation ?? (1, 1);
                var p = padding ?? (0, 0);
                var s = stride ?? (1, 1);
                return s_im2col.Begin().T(input).Ints(kernel_size.Item1, kernel_size.Item2).Ints(d.Item1, d.Item2)
                    .Ints(p.Item1, p.Item2).Ints(s.Item1, s.Item2).ToTensor();
            }

            /// <summary>col2im, the inverse layout of unfold: sums the columns [N, C·kH·kW, L] back
            /// into [N, C, H, W] with H, W = output_size.</summary>
            public static Tensor fold(Tensor input, (long, long) output_size, (long, long) kernel_size, (long, long)? dilation = null,
                (long, long)? padding = null, (long, long)? stride = null)
            {
                var d = dilation ?? (1, 1);
                var p = padding ?? (0, 0);
                var s = stride ?? (1, 1);
                return s_col2im.Begin().T(input).Ints(output_size.Item1, output_size.Item2).Ints(kernel_size.Item1, kernel_size.Item2)
                    .Ints(d.Item1, d.Item2).Ints(p.Item1, p.Item2).Ints(s.Item1, s.Item2).ToTensor();
            }

            /// <summary>A two-element (height, width) list from null (both = fallback), one value or two.</summary>
            internal static long[] Pair(long[]? values, long fallback, string function, string argument)
            {
                if (values is null) return new[] { fallback, fallback };
                return values.Length switch
                {
                    1 => new[] { values[0], values[0] },
                    2 => values,
                    _ => throw new ArgumentException($"{function}: {argument} must have 1 or 2 values, got {values.Length}", argument),
                };
            }

            private static void CheckGroups(long groups, string function)
            {
                if (groups < 1) throw new ArgumentOutOfRangeException(nameof(groups), groups, $"{function}: groups must be at least 1");
            }
        }
    }
}
