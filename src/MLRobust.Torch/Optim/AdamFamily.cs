using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules;

/// <summary>The options of an Adam or AdamW parameter group (null: the optimizer's).</summary>
public abstract class AdamParamGroup : optim.ParamGroup
{
    private readonly double? _beta1, _beta2, _eps, _weightDecay;
    private readonly bool? _amsgrad, _maximize;

    private protected AdamParamGroup(IEnumerable<Parameter> parameters, double? lr, double? beta1, double? beta2, double? eps,
        double? weight_decay, bool? amsgrad, bool? maximize) : base(parameters, lr)
    {
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        _weightDecay = weight_decay;
        _amsgrad = amsgrad;
        _maximize = maximize;
    }

    public double beta1 { get; set; }
    public double beta2 { get; set; }
    public double eps { get; set; }
    public double weight_decay { get; set; }
    public bool amsgrad { get; set; }
    public bool maximize { get; set; }

    internal override void ApplyDefaults(optim.ParamGroup defaults)
    {
        var d = (AdamParamGroup)defaults;
        LearningRate = RequestedLearningRate ?? d.LearningRate;
        beta1 = _beta1 ?? d.beta1;
        beta2 = _beta2 ?? d.beta2;
        eps = _eps ?? d.eps;
        weight_decay = _weightDecay ?? d.weight_decay;
        amsgrad = _amsgrad ?? d.amsgrad;
        maximize = _maximize ?? d.maximize;
    }

    internal void SetAll(double lr, double beta1, double beta2, double eps, double weight_decay, bool amsgrad, bool maximize)
    {
        LearningRate = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weight_decay = weight_decay;
        this.amsgrad = amsgrad;
        this.maximize = maximize;
    }
}

/// <summary>Adam's update, shared by Adam (L2 weight decay added to the gradient) and AdamW
/// (decoupled weight decay: p ← p·(1 - lr·wd) before the step). Follows PyTorch's single-tensor
/// implementation operation by operation:
/// m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; p ← p - lr/(1-β1ᵗ) · m / (√v̂/√(1-β2ᵗ) + eps),
/// with v̂ = v, or the running maximum of v when amsgrad.</summary>
public abstract class AdamFamily : optim.Optimizer
{
    private sealed class State
    {
        internal long Step;
        internal Tensor ExpAvg = null!;
        internal Tensor ExpAvgSq = null!;
        internal Tensor? MaxExpAvgSq;
    }

    private readonly Dictionary<Parameter, State> _state = new(ReferenceEqualityComparer.Instance);
    private readonly bool _decoupledWeightDecay;

    private protected AdamFamily(IEnumerable<AdamParamGroup> groups, AdamParamGroup defaults, bool decoupledWeightDecay)
        : base(groups, defaults)
    {
        _decoupledWeightDecay = decoupledWeightDecay;
    }

    private protected override void Validate(optim.ParamGroup group)
    {
        var g = (AdamParamGroup)group;
        var optimizer = GetType().Name;
        if (!(g.LearningRate >= 0)) throw new ArgumentOutOfRangeException("lr", g.LearningRate, $"{optimizer}: invalid learning rate (must be non-negative)");
        if (!(g.eps >= 0)) throw new ArgumentOutOfRangeException(nameof(g.eps), g.eps, $"{optimizer}: invalid epsilon (must be non-negative)");
        if (!(g.beta1 >= 0 && g.beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(g.beta1), g.beta1, $"{optimizer}: invalid beta1 (must be in [0, 1))");
        if (!(g.beta2 >= 0 && g.beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(g.beta2), g.beta2, $"{optimizer}: invalid beta2 (must be in [0, 1))");
        if (!(g.weight_decay >= 0)) throw new ArgumentOutOfRangeException(nameof(g.weight_decay), g.weight_decay, $"{optimizer}: invalid weight_decay (must be non-negative)");
    }

    private protected override void StepGroup(optim.ParamGroup group)
    {
        var g = (AdamParamGroup)group;
        var lr = g.LearningRate;
        foreach (var p in g.Parameters)
        {
            var grad = p.grad;
            if (grad is null) continue;
            if (g.maximize) grad = grad.neg();
            if (!_state.TryGetValue(p, out var s))
            {
                s = new State { ExpAvg = NewState(p), ExpAvgSq = NewState(p), MaxExpAvgSq = g.amsgrad ? NewState(p) : null };
                _state[p] = s;
            }
            s.Step++;
            if (_decoupledWeightDecay) p.mul_(1 - lr * g.weight_decay);
            else if (g.weight_decay != 0) grad = grad.add(p, g.weight_decay);

            s.ExpAvg.mul_(g.beta1).add_(grad, 1 - g.beta1);
            s.ExpAvgSq.mul_(g.beta2).addcmul_(grad, grad, 1 - g.beta2);
            var biasCorrection1 = 1 - Math.Pow(g.beta1, s.Step);
            var biasCorrection2 = 1 - Math.Pow(g.beta2, s.Step);
            var stepSize = lr / biasCorrection1;
            var biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);
            Tensor denom;
            if (g.amsgrad)
            {
                s.MaxExpAvgSq ??= NewState(p);
                s.MaxExpAvgSq.copy_(s.MaxExpAvgSq.maximum(s.ExpAvgSq));
                denom = s.MaxExpAvgSq.sqrt().div(biasCorrection2Sqrt).add_(g.eps);
            }
            else
            {
                denom = s.ExpAvgSq.sqrt().div(biasCorrection2Sqrt).add_(g.eps);
            }
            p.addcdiv_(s.ExpAvg, denom, -stepSize);
        }
    }

    private static readonly HashSet<string> s_stateNames = new() { "step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq" };
    private protected override IReadOnlySet<string> StateNames => s_stateNames;

    private protected override IEnumerable<(string name, Tensor value)> ParameterState(Parameter p)
    {
        if (!_state.TryGetValue(p, out var s)) yield break;
        // PyTorch keeps step as a float tensor; so do we in the saved state.
        yield return ("step", tensor((double)s.Step));
        yield return ("exp_avg", s.ExpAvg);
        yield return ("exp_avg_sq", s.ExpAvgSq);
        if (s.MaxExpAvgSq is not null) yield return ("max_exp_avg_sq", s.MaxExpAvgSq);
    }

    private protected override void SetParameterState(Parameter p, IReadOnlyDictionary<string, Tensor> state)
    {
        if (!state.TryGetValue("exp_avg", out var expAvg) || !state.TryGetValue("exp_avg_sq", out var expAvgSq) || !state.TryGetValue("step", out var step))
        {
            foreach (var t in state.Values) t.Dispose();
            throw new ArgumentException($"{GetType().Name}.load_state_dict: the state of a parameter needs step, exp_avg and exp_avg_sq");
        }
        var steps = (long)Math.Round(step.item<double>());
        step.Dispose();
        _state[p] = new State { Step = steps, ExpAvg = expAvg, ExpAvgSq = expAvgSq, MaxExpAvgSq = state.GetValueOrDefault("max_exp_avg_sq") };
    }

    private protected override void ClearState()
    {
        foreach (var t in StateTensors().ToList()) t.Dispose();
        _state.Clear();
    }

    private protected override IEnumerable<Tensor> StateTensors()
    {
        foreach (var s in _state.Values)
        {
            yield return s.ExpAvg;
            yield return s.ExpAvgSq;
            if (s.MaxExpAvgSq is not null) yield return s.MaxExpAvgSq;
        }
    }
}
