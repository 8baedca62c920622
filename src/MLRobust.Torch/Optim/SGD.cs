using MLRobust.Torch.Modules;
using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    /// <summary>Stochastic gradient descent with optional momentum (with dampening), Nesterov momentum
    /// and L2 weight decay, exactly PyTorch's update:
    /// g ← ±grad + wd·p; b ← g (first step) or μ·b + (1-τ)·g; g ← g + μ·b (Nesterov) or b; p ← p - lr·g.</summary>
    public sealed class SGD : optim.Optimizer
    {
        private readonly Dictionary<Parameter, Tensor> _momentumBuffers = new(ReferenceEqualityComparer.Instance);

        /// <summary>A parameter group with its own SGD options (null: the optimizer's).</summary>
        public sealed class ParamGroup : optim.ParamGroup
        {
            private readonly double? _momentum, _dampening, _weightDecay;
            private readonly bool? _nesterov, _maximize;

            public ParamGroup(IEnumerable<Parameter> parameters, double? lr = null, double? momentum = null, double? dampening = null,
                double? weight_decay = null, bool? nesterov = null, bool? maximize = null) : base(parameters, lr)
            {
                _momentum = momentum;
                _dampening = dampening;
                _weightDecay = weight_decay;
                _nesterov = nesterov;
                _maximize = maximize;
            }

            public double momentum { get; set; }
            public double dampening { get; set; }
            public double weight_decay { get; set; }
            public bool nesterov { get; set; }
            public bool maximize { get; set; }

            internal override void ApplyDefaults(optim.ParamGroup defaults)
            {
                var d = (ParamGroup)defaults;
                LearningRate = RequestedLearningRate ?? d.LearningRate;
                momentum = _momentum ?? d.momentum;
                dampening = _dampening ?? d.dampening;
                weight_decay = _weightDecay ?? d.weight_decay;
                nesterov = _nesterov ?? d.nesterov;
                maximize = _maximize ?? d.maximize;
            }
        }

        internal SGD(IEnumerable<ParamGroup> groups, double lr, double momentum, double dampening, double weight_decay, bool nesterov, bool maximize)
            : base(groups, Defaults(lr, momentum, dampening, weight_decay, nesterov, maximize))
        {
        }

        private static ParamGroup Defaults(double lr, double momentum, double dampening, double weight_decay, bool nesterov, bool maximize)
        {
            var d = new ParamGroup(Array.Empty<Parameter>())
            {
                LearningRate = lr, momentum = momentum, dampening = dampening, weight_decay = weight_decay, nesterov = nesterov, maximize = maximize,
            };
            return d;
        }

        private protected override bool IsGroupType(optim.ParamGroup group) => group is ParamGroup;

        private protected override void Validate(optim.ParamGroup group)
        {
            var g = (ParamGroup)group;
            if (!(g.LearningRate >= 0)) throw new ArgumentOutOfRangeException("lr", g.LearningRate, "SGD: invalid learning rate (must be non-negative)");
            if (!(g.momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(g.momentum), g.momentum, "SGD: invalid momentum (must be non-negative)");
            if (!(g.weight_decay >= 0)) throw new ArgumentOutOfRangeException(nameof(g.weight_decay), g.weight_decay, "SGD: invalid weight_decay (must be non-negative)");
            if (g.nesterov && (g.momentum <= 0 || g.dampening != 0))
                throw new ArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening", nameof(g.nesterov));
        }

        private protected override void StepGroup(optim.ParamGroup group)
        {
            var g = (ParamGroup)group;
            foreach (var p in g.Parameters)
            {
                var grad = p.grad;
                if (grad is null) continue;
                var d_p = g.maximize ? grad.neg() : grad;
                if (g.weight_decay != 0) d_p = d_p.add(p, g.weight_decay);
                if (g.momentum != 0)
                {
                    if (!_momentumBuffers.TryGetValue(p, out var buf))
                    {
                        buf = d_p.clone().detach().DetachFromDisposeScope();
                        _momentumBuffers[p] = buf;
                    }
                    else
                    {
                        buf.mul_(g.momentum).add_(d_p, 1 - g.dampening);
                    }
                    d_p = g.nesterov ? d_p.add(buf, g.momentum) : buf;
                }
                p.add_(d_p, -g.LearningRate);
            }
        }

        private protected override IEnumerable<Tensor> StateTensors() => _momentumBuffers.Values;

        private static readonly HashSet<string> s_stateNames = new() { "momentum_buffer" };
        private protected override IReadOnlySet<string> StateNames => s_stateNames;

        private protected override IEnumerable<(string name, Tensor value)> ParameterState(Parameter p)
        {
            if (_momentumBuffers.TryGetValue(p, out var buf)) yield return ("momentum_buffer", buf);
        }

        private protected override void SetParameterState(Parameter p, IReadOnlyDictionary<string, Tensor> state)
        {
            if (state.TryGetValue("momentum_buffer", out var buf)) _momentumBuffers[p] = buf;
        }

        private protected override void ClearState()
        {
            foreach (var t in _momentumBuffers.Values) t.Dispose();
            _momentumBuffers.Clear();
        }
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class optim
        {
            public static SGD SGD(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0,
                double weight_decay = 0, bool nesterov = false, bool maximize = false)
                => new(new[] { new SGD.ParamGroup(parameters) }, learningRate, momentum, dampening, weight_decay, nesterov, maximize);

            public static SGD SGD(IEnumerable<SGD.ParamGroup> parameters, double learningRate, double momentum = 0, double dampening = 0,
                double weight_decay = 0, bool nesterov = false, bool maximize = false)
                => new(parameters, learningRate, momentum, dampening, weight_decay, nesterov, maximize);
        }
    }
}
