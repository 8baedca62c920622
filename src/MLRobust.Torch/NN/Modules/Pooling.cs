using static MLRobust.Torch.torch;
using static MLRobust.Torch.Modules.LayerSupport;

namespace MLRobust.Torch.Modules
{
    /// <summary>2-D max pooling; stride defaults to the kernel size.</summary>
    public sealed class MaxPool2d : nn.Module<Tensor, Tensor>
    {
        internal MaxPool2d((long, long) kernel_size, (long, long)? stride, (long, long) padding, (long, long) dilation, bool ceil_mode) : base(nameof(MaxPool2d))
        {
            Positive(kernel_size, nameof(kernel_size), GetName());
            if (stride is { } s) Positive(s, nameof(stride), GetName());
            NonNegative(padding, nameof(padding), GetName());
            Positive(dilation, nameof(dilation), GetName());
            if (padding.Item1 > ((kernel_size.Item1 - 1) * dilation.Item1 + 1) / 2 || padding.Item2 > ((kernel_size.Item2 - 1) * dilation.Item2 + 1) / 2)
                throw new ArgumentException($"MaxPool2d: padding {padding} must be at most half the effective kernel size (kernel {kernel_size}, dilation {dilation})", nameof(padding));
            this.kernel_size = kernel_size;
            this.stride = stride ?? kernel_size;
            this.padding = padding;
            this.dilation = dilation;
            this.ceil_mode = ceil_mode;
        }

        public (long, long) kernel_size { get; }
        public (long, long) stride { get; }
        public (long, long) padding { get; }
        public (long, long) dilation { get; }
        public bool ceil_mode { get; }

        public override Tensor forward(Tensor input)
            => nn.functional.max_pool2d(input, Ints(kernel_size), Ints(stride), Ints(padding), Ints(dilation), ceil_mode);
    }

    /// <summary>2-D average pooling; stride defaults to the kernel size.</summary>
    public sealed class AvgPool2d : nn.Module<Tensor, Tensor>
    {
        internal AvgPool2d((long, long) kernel_size, (long, long)? stride, (long, long) padding, bool ceil_mode, bool count_include_pad, long? divisor_override)
            : base(nameof(AvgPool2d))
        {
            Positive(kernel_size, nameof(kernel_size), GetName());
            if (stride is { } s) Positive(s, nameof(stride), GetName());
            NonNegative(padding, nameof(padding), GetName());
            if (padding.Item1 * 2 > kernel_size.Item1 || padding.Item2 * 2 > kernel_size.Item2)
                throw new ArgumentException($"AvgPool2d: padding {padding} must be at most half the kernel size {kernel_size}", nameof(padding));
            if (divisor_override is <= 0) throw new ArgumentOutOfRangeException(nameof(divisor_override), divisor_override, "AvgPool2d: divisor_override must be positive");
            this.kernel_size = kernel_size;
            this.stride = stride ?? kernel_size;
            this.padding = padding;
            this.ceil_mode = ceil_mode;
            this.count_include_pad = count_include_pad;
            this.divisor_override = divisor_override;
        }

        public (long, long) kernel_size { get; }
        public (long, long) stride { get; }
        public (long, long) padding { get; }
        public bool ceil_mode { get; }
        public bool count_include_pad { get; }
        public long? divisor_override { get; }

        public override Tensor forward(Tensor input)
            => nn.functional.avg_pool2d(input, Ints(kernel_size), Ints(stride), Ints(padding), ceil_mode, count_include_pad, divisor_override);
    }

    /// <summary>Average pooling to a fixed (height, width), whatever the input size.</summary>
    public sealed class AdaptiveAvgPool2d : nn.Module<Tensor, Tensor>
    {
        internal AdaptiveAvgPool2d((long, long) output_size) : base(nameof(AdaptiveAvgPool2d))
        {
            Positive(output_size, nameof(output_size), GetName());
            this.output_size = output_size;
        }

        public (long, long) output_size { get; }
        public override Tensor forward(Tensor input) => nn.functional.adaptive_avg_pool2d(input, output_size);
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.MaxPool2d MaxPool2d(long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false)
                => new((kernel_size, kernel_size), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation), ceil_mode);

            public static Modules.MaxPool2d MaxPool2d((long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null,
                (long, long)? dilation = null, bool ceil_mode = false)
                => new(kernel_size, stride, padding ?? (0, 0), dilation ?? (1, 1), ceil_mode);

            public static Modules.AvgPool2d AvgPool2d(long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false,
                bool count_include_pad = true, long? divisor_override = null)
                => new((kernel_size, kernel_size), stride is { } s ? (s, s) : null, (padding, padding), ceil_mode, count_include_pad, divisor_override);

            public static Modules.AvgPool2d AvgPool2d((long, long) kernel_size, (long, long)? stride = null, (long, long)? padding = null,
                bool ceil_mode = false, bool count_include_pad = true, long? divisor_override = null)
                => new(kernel_size, stride, padding ?? (0, 0), ceil_mode, count_include_pad, divisor_override);

            public static Modules.AdaptiveAvgPool2d AdaptiveAvgPool2d(long output_size) => new((output_size, output_size));

            public static Modules.AdaptiveAvgPool2d AdaptiveAvgPool2d((long, long) output_size) => new(output_size);
        }
    }
}
