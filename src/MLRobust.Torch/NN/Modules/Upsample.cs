using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    /// <summary>Resizes [N, C, H, W] to a size or by a scale factor: see nn.functional.interpolate.</summary>
    public sealed class Upsample : nn.Module<Tensor, Tensor>
    {
        internal Upsample(long[]? size, double[]? scale_factor, InterpolationMode mode, bool? align_corners) : base(nameof(Upsample))
        {
            if ((size is null) == (scale_factor is null)) throw new ArgumentException("Upsample: give exactly one of size and scale_factor", nameof(size));
            if (mode == InterpolationMode.Nearest && align_corners is not null)
                throw new ArgumentException("Upsample: align_corners can only be set with the bilinear and bicubic modes", nameof(align_corners));
            this.size = (long[]?)size?.Clone();
            this.scale_factor = (double[]?)scale_factor?.Clone();
            this.mode = mode;
            this.align_corners = align_corners;
        }

        public long[]? size { get; }
        public double[]? scale_factor { get; }
        public InterpolationMode mode { get; }
        public bool? align_corners { get; }
        public override Tensor forward(Tensor input) => nn.functional.interpolate(input, size, scale_factor, mode, align_corners);
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.Upsample Upsample(long[]? size = null, double[]? scale_factor = null, InterpolationMode mode = InterpolationMode.Nearest,
                bool? align_corners = null) => new(size, scale_factor, mode, align_corners);
        }
    }
}
