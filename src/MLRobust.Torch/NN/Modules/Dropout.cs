using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    /// <summary>In training, zeroes elements with probability p and scales the rest by 1/(1-p);
    /// in eval, passes the input through.</summary>
    public sealed class Dropout : nn.Module<Tensor, Tensor>
    {
        internal Dropout(double p, bool inplace) : base(nameof(Dropout))
        {
            if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: probability must be in [0, 1]");
            this.p = p;
            this.inplace = inplace;
        }

        public double p { get; }
        public bool inplace { get; }
        public override Tensor forward(Tensor input) => nn.functional.dropout(input, p, training, inplace);
    }

    /// <summary>In training, zeroes whole channels of [N, C, H, W] with probability p.</summary>
    public sealed class Dropout2d : nn.Module<Tensor, Tensor>
    {
        internal Dropout2d(double p) : base(nameof(Dropout2d))
        {
            if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout2d: probability must be in [0, 1]");
            this.p = p;
        }

        public double p { get; }
        public override Tensor forward(Tensor input) => nn.functional.dropout2d(input, p, training);
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.Dropout Dropout(double p = 0.5, bool inplace = false) => new(p, inplace);
            public static Modules.Dropout2d Dropout2d(double p = 0.5) => new(p);
        }
    }
}
