using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    public sealed class ReLU : nn.Module<Tensor, Tensor>
    {
        internal ReLU(bool inplace) : base(nameof(ReLU)) => this.inplace = inplace;
        public bool inplace { get; }
        public override Tensor forward(Tensor input) => nn.functional.relu(input, inplace);
    }

    public sealed class LeakyReLU : nn.Module<Tensor, Tensor>
    {
        internal LeakyReLU(double negative_slope, bool inplace) : base(nameof(LeakyReLU))
        {
            this.negative_slope = negative_slope;
            this.inplace = inplace;
        }

        public double negative_slope { get; }
        public bool inplace { get; }
        public override Tensor forward(Tensor input) => nn.functional.leaky_relu(input, negative_slope, inplace);
    }

    public sealed class Sigmoid : nn.Module<Tensor, Tensor>
    {
        internal Sigmoid() : base(nameof(Sigmoid)) { }
        public override Tensor forward(Tensor input) => input.sigmoid();
    }

    public sealed class Tanh : nn.Module<Tensor, Tensor>
    {
        internal Tanh() : base(nameof(Tanh)) { }
        public override Tensor forward(Tensor input) => input.tanh();
    }

    public sealed class Softmax : nn.Module<Tensor, Tensor>
    {
        internal Softmax(long dim) : base(nameof(Softmax)) => this.dim = dim;
        public long dim { get; }
        public override Tensor forward(Tensor input) => nn.functional.softmax(input, dim);
    }

    public sealed class LogSoftmax : nn.Module<Tensor, Tensor>
    {
        internal LogSoftmax(long dim) : base(nameof(LogSoftmax)) => this.dim = dim;
        public long dim { get; }
        public override Tensor forward(Tensor input) => nn.functional.log_softmax(input, dim);
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.ReLU ReLU(bool inplace = false) => new(inplace);
            public static Modules.LeakyReLU LeakyReLU(double negative_slope = 0.01, bool inplace = false) => new(negative_slope, inplace);
            public static Modules.Sigmoid Sigmoid() => new();
            public static Modules.Tanh Tanh() => new();
            public static Modules.Softmax Softmax(long dim) => new(dim);
            public static Modules.LogSoftmax LogSoftmax(long dim) => new(dim);
        }
    }
}
