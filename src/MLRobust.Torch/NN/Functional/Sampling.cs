using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static partial class functional
        {
            private static readonly Op s_pad = new("aten::pad");
            private static readonly Op s_upsample_nearest2d = new("aten::upsample_nearest2d", "vec");
            private static readonly Op s_upsample_bilinear2d = new("aten::upsample_bilinear2d", "vec");
            private static readonly Op s_upsample_bicubic2d = new("aten::upsample_bicubic2d", "vec");

            /// <summary>Pads the last dimensions: <paramref name="pad"/> lists (before, after) pairs
            /// starting from the last dimension, as in PyTorch. Reflect, replicate and circular pad
            /// the last 1–3 dimensions of a batched (or unbatched) input.</summary>
            public static Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                ArgumentNullException.ThrowIfNull(pad);
                if (pad.Length % 2 != 0) throw new ArgumentException($"pad: the padding list must have an even length, got {pad.Length}", nameof(pad));
                var call = s_pad.Begin().T(input).Ints(pad);
                return mode switch
                {
                    PaddingModes.Constant or PaddingModes.Zeros => call.Str("constant").D(mode == PaddingModes.Zeros ? 0 : value).ToTensor(),
                    PaddingModes.Reflect => call.Str("reflect").ToTensor(),
                    PaddingModes.Replicate => call.Str("replicate").ToTensor(),
                    PaddingModes.Circular => call.Str("circular").ToTensor(),
                    _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "pad: unknown padding mode"),
                };
            }

            /// <summary>Resizes [N, C, H, W] to <paramref name="size"/> or by <paramref name="scale_factor"/>
            /// (one value for both dimensions or two), as F.interpolate: nearest (the default),
            /// bilinear or bicubic; align_corners (bilinear/bicubic only, default false) maps corner
            /// pixel centres onto each other. With a scale factor the output size is floor(in·scale)
            /// and, unless recompute_scale_factor, the kernel samples with the given scale.</summary>
            public static Tensor interpolate(Tensor x, long[]? size = null, double[]? scale_factor = null, InterpolationMode mode = InterpolationMode.Nearest,
                bool? align_corners = null, bool recompute_scale_factor = false)
            {
                var shape = x.shape;
                if (shape.Length != 4) throw new ArgumentException($"interpolate: expected a 4-D input [N, C, H, W], got {shape.Length} dimensions", nameof(x));
                if ((size is null) == (scale_factor is null)) throw new ArgumentException("interpolate: give exactly one of size and scale_factor", nameof(size));
                if (mode == InterpolationMode.Nearest && align_corners is not null)
                    throw new ArgumentException("interpolate: align_corners can only be set with the bilinear and bicubic modes", nameof(align_corners));
                long[]? outputSize = null;
                double[]? scales = null;
                if (size is not null)
                {
                    outputSize = Pair(size, 0, "interpolate", nameof(size));
                    if (outputSize[0] <= 0 || outputSize[1] <= 0) throw new ArgumentOutOfRangeException(nameof(size), $"interpolate: output size must be positive, got [{outputSize[0]}, {outputSize[1]}]");
                }
                else
                {
                    scales = scale_factor!.Length switch
                    {
                        1 => new[] { scale_factor[0], scale_factor[0] },
                        2 => scale_factor,
                        _ => throw new ArgumentException($"interpolate: scale_factor must have 1 or 2 values, got {scale_factor.Length}", nameof(scale_factor)),
                    };
                    if (!(scales[0] > 0) || !(scales[1] > 0)) throw new ArgumentOutOfRangeException(nameof(scale_factor), "interpolate: scale factors must be positive");
                    if (recompute_scale_factor)
                    {
                        outputSize = new[] { (long)Math.Floor(shape[2] * scales[0]), (long)Math.Floor(shape[3] * scales[1]) };
                        scales = null;
                    }
                }
                var corners = align_corners ?? false;
                return mode switch
                {
                    InterpolationMode.Nearest => s_upsample_nearest2d.Begin().T(x).Ints(outputSize).Doubles(scales).ToTensor(),
                    InterpolationMode.Bilinear => s_upsample_bilinear2d.Begin().T(x).Ints(outputSize).B(corners).Doubles(scales).ToTensor(),
                    InterpolationMode.Bicubic => s_upsample_bicubic2d.Begin().T(x).Ints(outputSize).B(corners).Doubles(scales).ToTensor(),
                    _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "interpolate: unknown mode"),
                };
            }

            /// <summary>Class indices (int64) to one-hot vectors in a new last dimension.</summary>
            public static Tensor one_hot(Tensor x, long num_classes = -1) => x.one_hot(num_classes);
        }
    }
}
