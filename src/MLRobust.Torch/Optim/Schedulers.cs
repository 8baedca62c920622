using static MLRobust.Torch.torch.optim;
using static MLRobust.Torch.torch.optim.lr_scheduler;

namespace MLRobust.Torch.Modules
{
    /// <summary>Multiplies the learning rate by gamma every step_size steps.</summary>
    public sealed class StepLR : LRScheduler
    {
        internal StepLR(Optimizer optimizer, int step_size, double gamma) : base(optimizer)
        {
            if (step_size < 1) throw new ArgumentOutOfRangeException(nameof(step_size), step_size, "StepLR: step_size must be at least 1");
            this.step_size = step_size;
            this.gamma = gamma;
            InitialStep();
        }

        public int step_size { get; }
        public double gamma { get; }

        protected override IReadOnlyList<double> get_lr()
        {
            var current = CurrentRates();
            if (last_epoch == 0 || last_epoch % step_size != 0) return current;
            return current.Select(lr => lr * gamma).ToArray();
        }
    }

    /// <summary>Multiplies the learning rate by gamma at each milestone (a milestone listed twice
    /// multiplies by gamma²).</summary>
    public sealed class MultiStepLR : LRScheduler
    {
        private readonly Dictionary<int, int> _milestoneCounts;

        internal MultiStepLR(Optimizer optimizer, IList<int> milestones, double gamma) : base(optimizer)
        {
            ArgumentNullException.ThrowIfNull(milestones);
            _milestoneCounts = milestones.GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());
            this.milestones = milestones.OrderBy(m => m).ToArray();
            this.gamma = gamma;
            InitialStep();
        }

        public IReadOnlyList<int> milestones { get; }
        public double gamma { get; }

        protected override IReadOnlyList<double> get_lr()
        {
            var current = CurrentRates();
            if (!_milestoneCounts.TryGetValue(last_epoch, out var count)) return current;
            return current.Select(lr => lr * Math.Pow(gamma, count)).ToArray();
        }
    }

    /// <summary>Cosine annealing from the initial rate down to eta_min over T_max steps (and back up
    /// over the next T_max, as PyTorch's recursive form does).</summary>
    public sealed class CosineAnnealingLR : LRScheduler
    {
        internal CosineAnnealingLR(Optimizer optimizer, double T_max, double eta_min) : base(optimizer)
        {
            if (!(T_max > 0)) throw new ArgumentOutOfRangeException(nameof(T_max), T_max, "CosineAnnealingLR: T_max must be positive");
            this.T_max = T_max;
            this.eta_min = eta_min;
            InitialStep();
        }

        public double T_max { get; }
        public double eta_min { get; }

        protected override IReadOnlyList<double> get_lr()
        {
            var current = CurrentRates();
            if (last_epoch == 0) return current;
            var result = new double[current.Count];
            if ((last_epoch - 1 - T_max) % (2 * T_max) == 0)
            {
                for (var k = 0; k < result.Length; k++)
                    result[k] = current[k] + (base_lrs[k] - eta_min) * (1 - Math.Cos(Math.PI / T_max)) / 2;
                return result;
            }
            for (var k = 0; k < result.Length; k++)
                result[k] = (1 + Math.Cos(Math.PI * last_epoch / T_max)) / (1 + Math.Cos(Math.PI * (last_epoch - 1) / T_max)) * (current[k] - eta_min) + eta_min;
            return result;
        }
    }

    /// <summary>Multiplies the learning rate by gamma every step.</summary>
    public sealed class ExponentialLR : LRScheduler
    {
        internal ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
        {
            this.gamma = gamma;
            InitialStep();
        }

        public double gamma { get; }

        protected override IReadOnlyList<double> get_lr()
        {
            var current = CurrentRates();
            return last_epoch == 0 ? current : current.Select(lr => lr * gamma).ToArray();
        }
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class optim
        {
            public static partial class lr_scheduler
            {
                public static Modules.StepLR StepLR(Optimizer optimizer, int step_size, double gamma = 0.1) => new(optimizer, step_size, gamma);

                public static Modules.MultiStepLR MultiStepLR(Optimizer optimizer, IList<int> milestones, double gamma = 0.1) => new(optimizer, milestones, gamma);

                public static Modules.CosineAnnealingLR CosineAnnealingLR(Optimizer optimizer, double T_max, double eta_min = 0) => new(optimizer, T_max, eta_min);

                public static Modules.ExponentialLR ExponentialLR(Optimizer optimizer, double gamma = 0.1) => new(optimizer, gamma);
            }
        }
    }
}
