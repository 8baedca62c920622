using MLRobust.Torch.Modules;

namespace MLRobust.Torch;

public static partial class torch
{
    /// <summary>torch.optim: optimizers and learning-rate schedulers.</summary>
    public static partial class optim
    {
        /// <summary>A set of parameters that share optimizer settings (learning rate and the
        /// optimizer's own options); optimizers expose theirs as <see cref="Optimizer.param_groups"/>.</summary>
        public abstract class ParamGroup
        {
            private readonly Parameter[] _parameters;

            private protected ParamGroup(IEnumerable<Parameter> parameters, double? lr)
            {
                ArgumentNullException.ThrowIfNull(parameters);
                _parameters = parameters.ToArray();
                for (var k = 0; k < _parameters.Length; k++)
                    if (_parameters[k] is null) throw new ArgumentNullException(nameof(parameters), $"parameter group: parameter {k} is null");
                RequestedLearningRate = lr;
            }

            public IReadOnlyList<Parameter> Parameters => _parameters;

            /// <summary>The group's learning rate ("lr"); schedulers change it each step.</summary>
            public double LearningRate { get; set; }

            /// <summary>PyTorch's "initial_lr": the learning rate when the first scheduler was attached
            /// (NaN before that).</summary>
            public double InitialLearningRate { get; set; } = double.NaN;

            private protected double? RequestedLearningRate { get; }

            /// <summary>Fills the options not given to this group from the optimizer's defaults.</summary>
            internal abstract void ApplyDefaults(ParamGroup defaults);
        }

        /// <summary>Base of the optimizers: param groups, zero_grad and step. Per-parameter state
        /// tensors belong to the optimizer (no dispose scope owns them) and are disposed with it;
        /// step() runs in its own dispose scope without gradient recording, so it leaks nothing.</summary>
        public abstract class Optimizer : IDisposable
        {
            private readonly List<ParamGroup> _groups = new();
            private readonly ParamGroup _defaults;
            private bool _disposed;

            private protected Optimizer(IEnumerable<ParamGroup> groups, ParamGroup defaults)
            {
                ArgumentNullException.ThrowIfNull(groups);
                _defaults = defaults;
                foreach (var g in groups) add_param_group(g);
                if (_groups.Count == 0 || _groups.All(g => g.Parameters.Count == 0))
                    throw new ArgumentException($"{GetType().Name}: the optimizer got an empty parameter list", nameof(groups));
            }

            public IReadOnlyList<ParamGroup> param_groups => _groups;

            /// <summary>TorchSharp's name for <see cref="param_groups"/>.</summary>
            public IEnumerable<ParamGroup> ParamGroups => _groups;

            /// <summary>The first group's learning rate; setting it sets every group's.</summary>
            public double LearningRate
            {
                get => _groups[0].LearningRate;
                set
                {
                    if (!(value >= 0)) throw new ArgumentOutOfRangeException(nameof(value), value, "learning rate must be non-negative");
                    foreach (var g in _groups) g.LearningRate = value;
                }
            }

            /// <summary>Adds a group; options it does not set come from the optimizer's defaults. A
            /// parameter may belong to one group only.</summary>
            public void add_param_group(ParamGroup group)
            {
                ArgumentNullException.ThrowIfNull(group);
                if (!IsGroupType(group))
                    throw new ArgumentException($"{GetType().Name}: expected a {GetType().Name}.ParamGroup, got {group.GetType().FullName}", nameof(group));
                var existing = new HashSet<Parameter>(_groups.SelectMany(g => g.Parameters), ReferenceEqualityComparer.Instance);
                var own = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
                foreach (var p in group.Parameters)
                {
                    if (existing.Contains(p) || !own.Add(p))
                        throw new ArgumentException($"{GetType().Name}: some parameters appear in more than one parameter group", nameof(group));
                    if (p.IsInvalid) throw new ArgumentException($"{GetType().Name}: a parameter has been disposed", nameof(group));
                }
                group.ApplyDefaults(_defaults);
                Validate(group);
                _groups.Add(group);
            }

            private protected abstract bool IsGroupType(ParamGroup group);

            /// <summary>Checks a group's options (after defaults), throwing with the option's name.</summary>
            private protected abstract void Validate(ParamGroup group);

            /// <summary>Every parameter of every group.</summary>
            public IEnumerable<Parameter> parameters() => _groups.SelectMany(g => g.Parameters);

            /// <summary>Clears the gradients of every parameter: drops them (set_to_none, PyTorch 2.x's
            /// default) or fills them with zeros.</summary>
            public virtual void zero_grad(bool set_to_none = true)
            {
                foreach (var p in parameters()) nn.Module.ClearGrad(p, set_to_none);
            }

            /// <summary>Updates the parameters from their gradients (parameters without a gradient are
            /// skipped). The closure, if given, re-evaluates the model and returns the loss, which step returns.</summary>
            public Tensor? step(Func<Tensor>? closure = null)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                Tensor? loss = null;
                if (closure is not null)
                    using (enable_grad()) loss = closure();
                using (NewDisposeScope())
                using (no_grad())
                {
                    foreach (var group in _groups) StepGroup(group);
                }
                return loss;
            }

            /// <summary>Applies one update to the parameters of one group. Runs inside step's dispose
            /// scope and no_grad; state tensors kept across steps must be detached from the scope.</summary>
            private protected abstract void StepGroup(ParamGroup group);

            /// <summary>The optimizer's state tensors, disposed with it.</summary>
            private protected abstract IEnumerable<Tensor> StateTensors();

            /// <summary>The per-parameter state of one parameter by PyTorch's names (momentum_buffer;
            /// step, exp_avg, exp_avg_sq, max_exp_avg_sq). Empty before its first step.</summary>
            private protected abstract IEnumerable<(string name, Tensor value)> ParameterState(Parameter p);

            /// <summary>Replaces the state of one parameter with the given tensors (the optimizer takes ownership).</summary>
            private protected abstract void SetParameterState(Parameter p, IReadOnlyDictionary<string, Tensor> state);

            /// <summary>Drops (and disposes) every parameter's state.</summary>
            private protected abstract void ClearState();

            /// <summary>Names of the per-parameter state entries this optimizer understands.</summary>
            private protected abstract IReadOnlySet<string> StateNames { get; }

            /// <summary>The optimizer's state as a flat tensor map (safetensors-friendly), PyTorch's layout
            /// flattened: "state.{i}.{name}" for the i-th parameter in group order, and
            /// "param_groups.{g}.lr" / "param_groups.{g}.initial_lr" as float64 scalars. Values are copies.</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                var result = new Dictionary<string, Tensor>();
                var index = 0;
                for (var g = 0; g < _groups.Count; g++)
                {
                    result[$"param_groups.{g}.lr"] = tensor(_groups[g].LearningRate);
                    if (!double.IsNaN(_groups[g].InitialLearningRate)) result[$"param_groups.{g}.initial_lr"] = tensor(_groups[g].InitialLearningRate);
                    foreach (var p in _groups[g].Parameters)
                    {
                        foreach (var (name, value) in ParameterState(p))
                            using (no_grad()) result[$"state.{index}.{name}"] = value.detach().clone();
                        index++;
                    }
                }
                return result;
            }

            /// <summary>Restores a state saved by <see cref="state_dict"/> from an optimizer over the same
            /// parameters (same groups, order and shapes). Everything is checked before anything changes;
            /// errors name the offending key.</summary>
            public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
            {
                ArgumentNullException.ThrowIfNull(state);
                ObjectDisposedException.ThrowIf(_disposed, this);
                var all = parameters().ToArray();
                var perParameter = new Dictionary<int, Dictionary<string, Tensor>>();
                var learningRates = new Dictionary<int, (double? lr, double? initial)>();
                var kind = GetType().Name;
                foreach (var (key, value) in state)
                {
                    var parts = key.Split('.');
                    if (value is null || value.IsInvalid) throw new ArgumentException($"{kind}.load_state_dict: '{key}' holds no tensor", nameof(state));
                    if (parts.Length == 3 && parts[0] == "param_groups" && int.TryParse(parts[1], out var g) && g >= 0 && g < _groups.Count
                        && parts[2] is "lr" or "initial_lr")
                    {
                        if (value.numel() != 1) throw new ArgumentException($"{kind}.load_state_dict: '{key}' must be a scalar", nameof(state));
                        var v = value.item<double>();
                        var entry = learningRates.GetValueOrDefault(g);
                        learningRates[g] = parts[2] == "lr" ? (v, entry.initial) : (entry.lr, v);
                        continue;
                    }
                    if (parts.Length == 3 && parts[0] == "state" && int.TryParse(parts[1], out var i) && i >= 0 && StateNames.Contains(parts[2]))
                    {
                        if (i >= all.Length)
                            throw new ArgumentException($"{kind}.load_state_dict: '{key}' refers to parameter {i} but the optimizer has {all.Length}", nameof(state));
                        if (parts[2] != "step" && !value.shape.SequenceEqual(all[i].shape))
                            throw new ArgumentException($"{kind}.load_state_dict: '{key}' has shape [{string.Join(",", value.shape)}] but parameter {i} has shape [{string.Join(",", all[i].shape)}]", nameof(state));
                        if (!perParameter.TryGetValue(i, out var d)) perParameter[i] = d = new Dictionary<string, Tensor>();
                        d[parts[2]] = value;
                        continue;
                    }
                    throw new ArgumentException($"{kind}.load_state_dict: unexpected key '{key}'", nameof(state));
                }
                ClearState();
                foreach (var (g, (lr, initial)) in learningRates)
                {
                    if (lr is { } l) _groups[g].LearningRate = l;
                    if (initial is { } s) _groups[g].InitialLearningRate = s;
                }
                foreach (var (i, d) in perParameter)
                {
                    var copies = new Dictionary<string, Tensor>();
                    using (no_grad())
                        foreach (var (name, value) in d)
                            copies[name] = value.detach().to(all[i].device, name == "step" ? value.dtype : all[i].dtype).clone().DetachFromDisposeScope();
                    SetParameterState(all[i], copies);
                }
            }

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual void Dispose(bool disposing)
            {
                if (_disposed || !disposing) return;
                _disposed = true;
                foreach (var t in StateTensors().ToList()) t.Dispose();
            }

            /// <summary>A state tensor kept across steps: zeros like p, owned by the optimizer.</summary>
            private protected static Tensor NewState(Tensor like) => zeros_like(like).DetachFromDisposeScope();
        }
    }
}
