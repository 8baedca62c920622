using static MLRobust.Torch.torch;
using static MLRobust.Torch.Modules.LayerSupport;

namespace MLRobust.Torch.Modules
{
    /// <summary>Batch normalisation over channel dimension 1: in training, normalises with the batch
    /// statistics and updates running_mean/running_var (momentum, or a cumulative average when
    /// momentum is null); in eval, normalises with the running statistics. Buffers: running_mean,
    /// running_var, num_batches_tracked; parameters (affine): weight (ones), bias (zeros).</summary>
    public abstract class BatchNorm : nn.Module<Tensor, Tensor>
    {
        private protected BatchNorm(string name, long num_features, double eps, double? momentum, bool affine, bool track_running_stats,
            Device? device, ScalarType? dtype) : base(name)
        {
            Positive(num_features, nameof(num_features), GetName());
            if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, $"{GetName()}: eps must be positive");
            if (momentum is { } m && !(m >= 0 && m <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"{GetName()}: momentum must be in [0, 1]");
            this.num_features = num_features;
            this.eps = eps;
            this.momentum = momentum;
            this.affine = affine;
            this.track_running_stats = track_running_stats;
            if (affine)
            {
                weight = EmptyParameter(new[] { num_features }, device, dtype);
                bias = EmptyParameter(new[] { num_features }, device, dtype);
                register_parameter(nameof(weight), weight);
                register_parameter(nameof(bias), bias);
            }
            if (track_running_stats)
            {
                running_mean = zeros(new[] { num_features }, dtype, device);
                running_var = ones(new[] { num_features }, dtype, device);
                num_batches_tracked = zeros(new long[0], ScalarType.Int64, device);
                register_buffer(nameof(running_mean), running_mean);
                register_buffer(nameof(running_var), running_var);
                register_buffer(nameof(num_batches_tracked), num_batches_tracked);
            }
            reset_parameters();
        }

        public long num_features { get; }
        public double eps { get; }
        public double? momentum { get; set; }
        public bool affine { get; }
        public bool track_running_stats { get; }
        public Parameter? weight { get; }
        public Parameter? bias { get; }
        public Tensor? running_mean { get; }
        public Tensor? running_var { get; }
        public Tensor? num_batches_tracked { get; }

        public void reset_running_stats()
        {
            if (!track_running_stats) return;
            using (no_grad())
            {
                running_mean!.zero_();
                running_var!.fill_(1);
                num_batches_tracked!.zero_();
            }
        }

        public void reset_parameters()
        {
            reset_running_stats();
            if (!affine) return;
            nn.init.ones_(weight!);
            nn.init.zeros_(bias!);
        }

        private protected abstract void CheckInput(Tensor input);

        public override Tensor forward(Tensor input)
        {
            CheckInput(input);
            var factor = momentum ?? 0.0;
            if (training && track_running_stats)
            {
                num_batches_tracked!.add_(1);
                if (momentum is null) factor = 1.0 / num_batches_tracked.item<long>();
            }
            // Batch statistics in training, or when there are no running statistics to use.
            var useBatchStats = training || !track_running_stats;
            return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, useBatchStats, factor, eps);
        }
    }

    /// <summary>BatchNorm over [N, C] or [N, C, L].</summary>
    public sealed class BatchNorm1d : BatchNorm
    {
        internal BatchNorm1d(long num_features, double eps, double? momentum, bool affine, bool track_running_stats, Device? device, ScalarType? dtype)
            : base(nameof(BatchNorm1d), num_features, eps, momentum, affine, track_running_stats, device, dtype) { }

        private protected override void CheckInput(Tensor input) => CheckDims(input, GetName(), 2, 3);
    }

    /// <summary>BatchNorm over [N, C, H, W].</summary>
    public sealed class BatchNorm2d : BatchNorm
    {
        internal BatchNorm2d(long num_features, double eps, double? momentum, bool affine, bool track_running_stats, Device? device, ScalarType? dtype)
            : base(nameof(BatchNorm2d), num_features, eps, momentum, affine, track_running_stats, device, dtype) { }

        private protected override void CheckInput(Tensor input) => CheckDims(input, GetName(), 4);
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
                bool track_running_stats = true, Device? device = null, ScalarType? dtype = null)
                => new(num_features, eps, momentum, affine, track_running_stats, device, dtype);

            public static Modules.BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
                bool track_running_stats = true, Device? device = null, ScalarType? dtype = null)
                => new(num_features, eps, momentum, affine, track_running_stats, device, dtype);
        }
    }
}
