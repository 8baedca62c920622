using static MLRobust.Torch.torch;
using static MLRobust.Torch.Modules.LayerSupport;

namespace MLRobust.Torch.Modules
{
    /// <summary>2-D convolution over [N, C_in, H, W] (or [C_in, H, W]); weight [C_out, C_in/groups, kH, kW].</summary>
    public sealed class Conv2d : nn.Module<Tensor, Tensor>
    {
        internal Conv2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long) stride, (long, long) padding,
            (long, long) dilation, PaddingModes padding_mode, long groups, bool bias, Device? device, ScalarType? dtype)
            : base(nameof(Conv2d))
        {
            Positive(in_channels, nameof(in_channels), GetName());
            Positive(out_channels, nameof(out_channels), GetName());
            Positive(kernel_size, nameof(kernel_size), GetName());
            Positive(stride, nameof(stride), GetName());
            NonNegative(padding, nameof(padding), GetName());
            Positive(dilation, nameof(dilation), GetName());
            Positive(groups, nameof(groups), GetName());
            if (in_channels % groups != 0) throw new ArgumentException($"Conv2d: in_channels ({in_channels}) must be divisible by groups ({groups})", nameof(groups));
            if (out_channels % groups != 0) throw new ArgumentException($"Conv2d: out_channels ({out_channels}) must be divisible by groups ({groups})", nameof(groups));
            if (padding_mode is not (PaddingModes.Zeros or PaddingModes.Reflect or PaddingModes.Replicate or PaddingModes.Circular))
                throw new ArgumentOutOfRangeException(nameof(padding_mode), padding_mode, "Conv2d: padding_mode must be Zeros, Reflect, Replicate or Circular");
            this.in_channels = in_channels;
            this.out_channels = out_channels;
            this.kernel_size = kernel_size;
            this.stride = stride;
            this.padding = padding;
            this.dilation = dilation;
            this.padding_mode = padding_mode;
            this.groups = groups;
            weight = EmptyParameter(new[] { out_channels, in_channels / groups, kernel_size.Item1, kernel_size.Item2 }, device, dtype);
            if (bias) this.bias = EmptyParameter(new[] { out_channels }, device, dtype);
            reset_parameters();
        }

        public long in_channels { get; }
        public long out_channels { get; }
        public (long, long) kernel_size { get; }
        public (long, long) stride { get; }
        public (long, long) padding { get; }
        public (long, long) dilation { get; }
        public PaddingModes padding_mode { get; }
        public long groups { get; }

        public Parameter weight
        {
            get => _weight;
            set
            {
                ArgumentNullException.ThrowIfNull(value, nameof(weight));
                register_parameter(nameof(weight), value);
                _weight = value;
            }
        }

        public Parameter? bias
        {
            get => _bias;
            set
            {
                register_parameter(nameof(bias), value);
                _bias = value;
            }
        }

        private Parameter _weight = null!;
        private Parameter? _bias;

        /// <summary>PyTorch's default initialisation (kaiming_uniform a=√5, bias U(±1/√fan_in)).</summary>
        public void reset_parameters() => ResetLinearOrConv(_weight, _bias);

        public override Tensor forward(Tensor input)
        {
            var strides = Ints(stride);
            var dilations = Ints(dilation);
            if (padding_mode == PaddingModes.Zeros)
                return nn.functional.conv2d(input, _weight, _bias, strides, Ints(padding), dilations, groups);
            // Non-zero padding modes pad explicitly, then convolve without padding (as PyTorch does).
            using var padded = nn.functional.pad(input, new[] { padding.Item2, padding.Item2, padding.Item1, padding.Item1 }, padding_mode);
            return nn.functional.conv2d(padded, _weight, _bias, strides, new long[] { 0, 0 }, dilations, groups);
        }
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>2-D convolution with a square kernel; padding_mode Zeros, Reflect, Replicate or Circular.</summary>
            public static Modules.Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1,
                PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
                => new(in_channels, out_channels, (kernel_size, kernel_size), (stride, stride), (padding, padding), (dilation, dilation),
                    padding_mode, groups, bias, device, dtype);

            /// <summary>2-D convolution with (height, width) kernel, stride, padding and dilation.</summary>
            public static Modules.Conv2d Conv2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long)? stride = null,
                (long, long)? padding = null, (long, long)? dilation = null, PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1,
                bool bias = true, Device? device = null, ScalarType? dtype = null)
                => new(in_channels, out_channels, kernel_size, stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1),
                    padding_mode, groups, bias, device, dtype);
        }
    }
}
