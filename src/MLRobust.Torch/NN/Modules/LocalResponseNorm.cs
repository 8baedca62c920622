using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    /// <summary>Local response normalisation across channels (AlexNet): see nn.functional.local_response_norm.</summary>
    public sealed class LocalResponseNorm : nn.Module<Tensor, Tensor>
    {
        internal LocalResponseNorm(long size, double alpha, double beta, double k) : base(nameof(LocalResponseNorm))
        {
            if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "LocalResponseNorm: size must be at least 1");
            this.size = size;
            this.alpha = alpha;
            this.beta = beta;
            this.k = k;
        }

        public long size { get; }
        public double alpha { get; }
        public double beta { get; }
        public double k { get; }
        public override Tensor forward(Tensor input) => nn.functional.local_response_norm(input, size, alpha, beta, k);
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.LocalResponseNorm LocalResponseNorm(long size, double alpha = 1e-4, double beta = 0.75, double k = 1.0)
                => new(size, alpha, beta, k);
        }
    }
}
