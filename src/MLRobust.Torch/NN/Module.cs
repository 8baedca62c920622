using System.Reflection;
using MLRobust.Torch.Modules;

namespace MLRobust.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Base of every layer and model, as torch.nn.Module: owns registered parameters,
        /// buffers and submodules, switches train/eval, moves between devices and dtypes, and saves
        /// and loads its state by dotted names ("features.0.weight").</summary>
        /// <remarks>Parameters and buffers are taken out of any dispose scope when registered, so
        /// they live until the module is disposed.</remarks>
        public abstract class Module : IDisposable
        {
            private readonly OrderedDictionary<string, Parameter> _parameters = new();
            private readonly OrderedDictionary<string, Tensor> _buffers = new();
            private readonly HashSet<string> _nonPersistentBuffers = new();
            private readonly OrderedDictionary<string, Module> _modules = new();
            private bool _disposed;

            protected Module(string name)
            {
                _name = string.IsNullOrEmpty(name) ? GetType().Name : name;
            }

            private readonly string _name;

            /// <summary>The module's type name, as shown in error messages.</summary>
            public string GetName() => _name;

            /// <summary>True in training mode (the default), false after eval().</summary>
            public bool training { get; private set; } = true;

            // ---- registration ----

            /// <summary>Adds (or, given null, removes) a parameter under <paramref name="name"/>.</summary>
            public virtual void register_parameter(string name, Parameter? param)
            {
                CheckName(name, "parameter");
                if (_buffers.ContainsKey(name) || _modules.ContainsKey(name))
                    throw new ArgumentException($"{_name}: cannot register parameter '{name}': a buffer or submodule already has that name", nameof(name));
                if (param is null)
                {
                    _parameters.Remove(name);
                    return;
                }
                if (param.IsInvalid) throw new ArgumentException($"{_name}: parameter '{name}' has been disposed", nameof(param));
                param.DetachFromDisposeScope();
                _parameters[name] = param;
            }

            /// <summary>Adds (or, given null, removes) a buffer: state that is saved and moved with
            /// the module but not trained (running statistics). Non-persistent buffers are left out
            /// of state_dict.</summary>
            public virtual void register_buffer(string name, Tensor? tensor, bool persistent = true)
            {
                CheckName(name, "buffer");
                if (_parameters.ContainsKey(name) || _modules.ContainsKey(name))
                    throw new ArgumentException($"{_name}: cannot register buffer '{name}': a parameter or submodule already has that name", nameof(name));
                if (tensor is Parameter)
                    throw new ArgumentException($"{_name}: buffer '{name}' is a Parameter; register it with register_parameter", nameof(tensor));
                if (tensor is null)
                {
                    _buffers.Remove(name);
                    _nonPersistentBuffers.Remove(name);
                    return;
                }
                if (tensor.IsInvalid) throw new ArgumentException($"{_name}: buffer '{name}' has been disposed", nameof(tensor));
                tensor.DetachFromDisposeScope();
                _buffers[name] = tensor;
                if (persistent) _nonPersistentBuffers.Remove(name);
                else _nonPersistentBuffers.Add(name);
            }

            /// <summary>Adds (or, given null, removes) a submodule under <paramref name="name"/>.</summary>
            public virtual void register_module(string name, Module? submodule)
            {
                CheckName(name, "submodule");
                if (_parameters.ContainsKey(name) || _buffers.ContainsKey(name))
                    throw new ArgumentException($"{_name}: cannot register submodule '{name}': a parameter or buffer already has that name", nameof(name));
                if (submodule is null)
                {
                    _modules.Remove(name);
                    return;
                }
                if (ReferenceEquals(submodule, this)) throw new ArgumentException($"{_name}: a module cannot be its own submodule", nameof(submodule));
                _modules[name] = submodule;
            }

            private void CheckName(string name, string kind)
            {
                if (string.IsNullOrEmpty(name)) throw new ArgumentException($"{_name}: {kind} name must not be empty", nameof(name));
                if (name.Contains('.')) throw new ArgumentException($"{_name}: {kind} name '{name}' must not contain '.'", nameof(name));
            }

            /// <summary>Registers, by reflection, every field of the concrete type (and its bases below
            /// Module) holding a Module (as a submodule), a Parameter (as a parameter) or another Tensor
            /// (as a buffer), under the field's name or its [ComponentName]. Call it at the end of a
            /// custom module's constructor, as in TorchSharp.</summary>
            protected virtual void RegisterComponents()
            {
                var types = new Stack<Type>();
                for (var t = GetType(); t != null && t != typeof(Module); t = t.BaseType) types.Push(t);
                var registered = new HashSet<object>(ReferenceEqualityComparer.Instance);
                foreach (var (_, p) in _parameters) registered.Add(p);
                foreach (var (_, b) in _buffers) registered.Add(b);
                foreach (var (_, m) in _modules) registered.Add(m);
                foreach (var type in types)
                {
                    foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        var value = field.GetValue(this);
                        if (value is null || !registered.Add(value)) continue;
                        var componentName = ComponentName(field);
                        switch (value)
                        {
                            case Module m: register_module(componentName, m); break;
                            case Parameter p: register_parameter(componentName, p); break;
                            case Tensor t: register_buffer(componentName, t); break;
                        }
                    }
                }
            }

            private static string ComponentName(FieldInfo field)
            {
                if (field.GetCustomAttribute<ComponentNameAttribute>() is { } attribute) return attribute.Name;
                // Auto-properties store their value in "<Name>k__BackingField".
                var name = field.Name;
                if (name.StartsWith('<') && name.IndexOf('>') is var end and > 1) return name[1..end];
                return name;
            }

            // ---- enumeration ----

            /// <summary>Parameters with dotted names, each once even when shared.</summary>
            public virtual IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, module) in recurse ? named_modules() : new[] { ("", this) })
                    foreach (var (n, p) in module._parameters)
                        if (seen.Add(p)) yield return (Join(prefix, n), p);
            }

            public virtual IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            /// <summary>Buffers with dotted names (persistent or not), each once.</summary>
            public virtual IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, module) in recurse ? named_modules() : new[] { ("", this) })
                    foreach (var (n, b) in module._buffers)
                        if (seen.Add(b)) yield return (Join(prefix, n), b);
            }

            public virtual IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.buffer);

            /// <summary>Immediate submodules with their names.</summary>
            public virtual IEnumerable<(string name, Module module)> named_children()
            {
                foreach (var (n, m) in _modules) yield return (n, m);
            }

            public virtual IEnumerable<Module> children() => named_children().Select(c => c.module);

            /// <summary>This module (named "") and every module below it, depth first, each once.</summary>
            public virtual IEnumerable<(string name, Module module)> named_modules()
            {
                var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
                return NamedModules(this, "", seen);
            }

            private static IEnumerable<(string, Module)> NamedModules(Module module, string prefix, HashSet<Module> seen)
            {
                if (!seen.Add(module)) yield break;
                yield return (prefix, module);
                foreach (var (n, child) in module._modules)
                    foreach (var item in NamedModules(child, Join(prefix, n), seen))
                        yield return item;
            }

            public virtual IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

            // ---- modes and gradients ----

            /// <summary>Sets training mode on this module and every submodule (Dropout and BatchNorm
            /// behave differently in each).</summary>
            public virtual void train(bool on = true)
            {
                training = on;
                foreach (var (_, m) in _modules) m.train(on);
            }

            /// <summary>Evaluation mode: train(false).</summary>
            public virtual void eval() => train(false);

            /// <summary>Clears the parameters' gradients: drops them (set_to_none, PyTorch 2.x's default)
            /// or fills them with zeros.</summary>
            public virtual void zero_grad(bool set_to_none = true)
            {
                foreach (var p in parameters()) ClearGrad(p, set_to_none);
            }

            internal static void ClearGrad(Tensor p, bool set_to_none)
            {
                if (set_to_none)
                {
                    p.grad = null;
                    return;
                }
                using var g = p.grad;
                if (g is null) return;
                using (no_grad()) g.zero_();
            }

            /// <summary>Sets requires_grad on every parameter (false freezes the module, e.g. to train
            /// one stage of a model while keeping the others fixed).</summary>
            public Module requires_grad_(bool requires_grad = true)
            {
                foreach (var p in parameters()) p.requires_grad = requires_grad;
                return this;
            }

            /// <summary>Calls <paramref name="fn"/> on every submodule (children first) and then on this
            /// module, as PyTorch's module.apply, e.g. for a custom initialisation.</summary>
            public Module apply(Action<Module> fn)
            {
                ArgumentNullException.ThrowIfNull(fn);
                foreach (var (_, m) in _modules) m.apply(fn);
                fn(this);
                return this;
            }

            // ---- devices and dtypes ----

            /// <summary>Moves or converts every parameter and buffer in place: the Parameter and buffer
            /// objects stay the same (their data is swapped, as PyTorch's module.to does), so references
            /// held by fields and optimizers stay valid. A dtype converts floating-point tensors only.</summary>
            protected internal virtual Module _to(Device? device, ScalarType? dtype)
            {
                if (device is not null) CheckDevice(device);
                foreach (var (_, m) in _modules) m._to(device, dtype);
                foreach (var (_, p) in _parameters)
                {
                    Convert(p, device, dtype);
                    using var g = p.grad;
                    if (g is not null && NeedsConversion(g, device, dtype))
                    {
                        using var moved = ConvertedCopy(g, device, dtype);
                        p.grad = moved;
                    }
                }
                foreach (var (_, b) in _buffers) Convert(b, device, dtype);
                return this;
            }

            private static void Convert(Tensor t, Device? device, ScalarType? dtype)
            {
                if (!NeedsConversion(t, device, dtype)) return;
                using var converted = ConvertedCopy(t, device, dtype);
                TensorInternals.set_data(t, converted);
            }

            private static bool NeedsConversion(Tensor t, Device? device, ScalarType? dtype)
            {
                var current = t.dtype;
                var targetType = dtype is { } d && current.IsFloatingPoint() && d.IsFloatingPoint() ? d : current;
                return targetType != current || (device is not null && !SameDevice(t.device, device));
            }

            private static Tensor ConvertedCopy(Tensor t, Device? device, ScalarType? dtype)
            {
                var current = t.dtype;
                var targetType = dtype is { } d && current.IsFloatingPoint() && d.IsFloatingPoint() ? d : current;
                using (no_grad())
                    return device is null ? t.to_type(targetType) : t.to(device, targetType);
            }

            private static bool SameDevice(Device actual, Device wanted)
                => actual.type == wanted.type && (wanted.index < 0 || wanted.index == actual.index);

            // ---- state ----

            /// <summary>Parameters and persistent buffers by dotted name. The values share storage
            /// with the module's tensors (detached, as PyTorch's state_dict): disposing them does not
            /// dispose the module's tensors, writing into them writes the weights.</summary>
            public virtual Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
            {
                destination ??= new Dictionary<string, Tensor>();
                foreach (var (key, tensor) in StateEntries(prefix ?? ""))
                    destination[key] = tensor.detach();
                return destination;
            }

            /// <summary>The module's own tensors behind state_dict's keys.</summary>
            internal IEnumerable<(string key, Tensor tensor)> StateEntries(string prefix = "")
            {
                foreach (var (n, p) in _parameters) yield return (Join(prefix, n), p);
                foreach (var (n, b) in _buffers)
                    if (!_nonPersistentBuffers.Contains(n)) yield return (Join(prefix, n), b);
                foreach (var (n, m) in _modules)
                    foreach (var entry in m.StateEntries(Join(prefix, n)))
                        yield return entry;
            }

            /// <summary>Copies values from <paramref name="source"/> into the module's parameters and
            /// buffers (converting dtype and device). Throws, naming the keys, before copying anything
            /// when a shape differs or, with <paramref name="strict"/>, when keys are missing or
            /// unexpected. Keys in <paramref name="skip"/> are ignored on both sides.</summary>
            public virtual (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(
                Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null)
            {
                ArgumentNullException.ThrowIfNull(source);
                var skipped = new HashSet<string>(skip ?? Array.Empty<string>());
                var own = new Dictionary<string, Tensor>();
                foreach (var (key, tensor) in StateEntries())
                    if (!skipped.Contains(key)) own.TryAdd(key, tensor);

                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !skipped.Contains(k) && !own.ContainsKey(k)).ToList();
                var errors = new List<string>();
                foreach (var (key, value) in source)
                {
                    if (!own.TryGetValue(key, out var target)) continue;
                    if (value is null || value.IsInvalid)
                    {
                        errors.Add($"the value for key '{key}' is null or disposed");
                        continue;
                    }
                    var expectedShape = target.shape;
                    var actualShape = value.shape;
                    if (!expectedShape.SequenceEqual(actualShape))
                        errors.Add($"size mismatch for '{key}': copying a tensor of shape [{string.Join(", ", actualShape)}], the shape in the module is [{string.Join(", ", expectedShape)}]");
                }
                if (strict && unexpected.Count > 0) errors.Insert(0, "unexpected key(s) in state_dict: " + string.Join(", ", unexpected.Select(k => $"'{k}'")));
                if (strict && missing.Count > 0) errors.Insert(0, "missing key(s) in state_dict: " + string.Join(", ", missing.Select(k => $"'{k}'")));
                if (errors.Count > 0)
                    throw new ArgumentException($"Error(s) in loading state_dict for {_name}: " + string.Join("; ", errors), nameof(source));

                using (no_grad())
                {
                    foreach (var (key, value) in source)
                        if (own.TryGetValue(key, out var target)) target.copy_(value);
                }
                return (missing, unexpected);
            }

            // ---- lifetime ----

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            /// <summary>Disposes the parameters, buffers and submodules.</summary>
            protected virtual void Dispose(bool disposing)
            {
                if (_disposed || !disposing) return;
                _disposed = true;
                foreach (var (_, m) in _modules) m.Dispose();
                foreach (var (_, p) in _parameters) p.Dispose();
                foreach (var (_, b) in _buffers) b.Dispose();
                _modules.Clear();
                _parameters.Clear();
                _buffers.Clear();
            }

            public override string ToString() => _name;
        }
    }
}
