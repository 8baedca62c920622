using static MLRobust.Torch.torch;
using static MLRobust.Torch.Modules.LayerSupport;

namespace MLRobust.Torch.Modules
{
    /// <summary>Transposed 2-D convolution (the gradient of Conv2d with respect to its input, used to
    /// upsample in decoders); weight [C_in, C_out/groups, kH, kW]. Output size per dimension:
    /// (in-1)·stride - 2·padding + dilation·(kernel-1) + output_padding + 1.</summary>
    public sealed class ConvTranspose2d : nn.Module<Tensor, Tensor>
    {
        internal ConvTranspose2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long) stride, (long, long) padding,
            (long, long) output_padding, (long, long) dilation, PaddingModes padding_mode, long groups, bool bias, Device? device, ScalarType? dtype)
            : base(nameof(ConvTranspose2d))
        {
            Positive(in_channels, nameof(in_channels), GetName());
            Positive(out_channels, nameof(out_channels), GetName());
            Positive(kernel_size, nameof(kernel_size), GetName());
            Positive(stride, nameof(stride), GetName());
            NonNegative(padding, nameof(padding), GetName());
            NonNegative(output_padding, nameof(output_padding), GetName());
            Positive(dilation, nameof(dilation), GetName());
            Positive(groups, nameof(groups), GetName());
            if (in_channels % groups != 0) throw new ArgumentException($"ConvTranspose2d: in_channels ({in_channels}) must be divisible by groups ({groups})", nameof(groups));
            if (out_channels % groups != 0) throw new ArgumentException($"ConvTranspose2d: out_channels ({out_channels}) must be divisible by groups ({groups})", nameof(groups));
            if (padding_mode != PaddingModes.Zeros)
                throw new ArgumentException($"ConvTranspose2d: only the Zeros padding mode is supported (as in PyTorch), got {padding_mode}", nameof(padding_mode));
            if ((output_padding.Item1 >= stride.Item1 && output_padding.Item1 >= dilation.Item1) || (output_padding.Item2 >= stride.Item2 && output_padding.Item2 >= dilation.Item2))
                throw new ArgumentException($"ConvTranspose2d: output_padding {output_padding} must be smaller than either stride {stride} or dilation {dilation}", nameof(output_padding));
            this.in_channels = in_channels;
            this.out_channels = out_channels;
            this.kernel_size = kernel_size;
            this.stride = stride;
            this.padding = padding;
            this.output_padding = output_padding;
            this.dilation = dilation;
            this.groups = groups;
            weight = EmptyParameter(new[] { in_channels, out_channels / groups, kernel_size.Item1, kernel_size.Item2 }, device, dtype);
            if (bias) this.bias = EmptyParameter(new[] { out_channels }, device, dtype);
            reset_parameters();
        }

        public long in_channels { get; }
        public long out_channels { get; }
        public (long, long) kernel_size { get; }
        public (long, long) stride { get; }
        public (long, long) padding { get; }
        public (long, long) output_padding { get; }
        public (long, long) dilation { get; }
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

        /// <summary>PyTorch's default initialisation (kaiming_uniform a=√5 with fan_in = weight.size(1)·kH·kW).</summary>
        public void reset_parameters() => ResetLinearOrConv(_weight, _bias);

        public override Tensor forward(Tensor input)
            => nn.functional.conv_transpose2d(input, _weight, _bias, Ints(stride), Ints(padding), Ints(output_padding), groups, Ints(dilation));
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0,
                long output_padding = 0, long dilation = 1, PaddingModes padding_mode = PaddingModes.Zeros, long groups = 1, bool bias = true,
                Device? device = null, ScalarType? dtype = null)
                => new(in_channels, out_channels, (kernel_size, kernel_size), (stride, stride), (padding, padding), (output_padding, output_padding),
                    (dilation, dilation), padding_mode, groups, bias, device, dtype);

            public static Modules.ConvTranspose2d ConvTranspose2d(long in_channels, long out_channels, (long, long) kernel_size, (long, long)? stride = null,
                (long, long)? padding = null, (long, long)? output_padding = null, (long, long)? dilation = null, PaddingModes padding_mode = PaddingModes.Zeros,
                long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
                => new(in_channels, out_channels, kernel_size, stride ?? (1, 1), padding ?? (0, 0), output_padding ?? (0, 0), dilation ?? (1, 1),
                    padding_mode, groups, bias, device, dtype);
        }
    }
}
