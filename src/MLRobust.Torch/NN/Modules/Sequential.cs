using System.Collections;
using System.Globalization;
using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    /// <summary>Runs its modules in order, each on the previous one's output. Submodules are named
    /// "0", "1", … unless given names, so state_dict keys read "0.weight" as in PyTorch.
    /// Intermediate results are disposed as soon as the next module has consumed them.</summary>
    public sealed class Sequential : nn.Module<Tensor, Tensor>, IEnumerable<nn.Module<Tensor, Tensor>>
    {
        private readonly List<nn.Module<Tensor, Tensor>> _ordered = new();

        internal Sequential() : base(nameof(Sequential)) { }

        public int Count => _ordered.Count;

        public nn.Module<Tensor, Tensor> this[int index] => _ordered[index];

        /// <summary>Adds a module at the end under <paramref name="name"/>.</summary>
        public Sequential append(string name, nn.Module<Tensor, Tensor> module)
        {
            ArgumentNullException.ThrowIfNull(module);
            if (named_children().Any(c => c.name == name))
                throw new ArgumentException($"Sequential: a module named '{name}' is already present", nameof(name));
            register_module(name, module);
            _ordered.Add(module);
            return this;
        }

        /// <summary>Adds a module at the end, named by its position.</summary>
        public Sequential append(nn.Module<Tensor, Tensor> module) => append(_ordered.Count.ToString(CultureInfo.InvariantCulture), module);

        public override Tensor forward(Tensor input)
        {
            if (_ordered.Count == 0) return input.alias();
            var result = _ordered[0].call(input);
            for (var k = 1; k < _ordered.Count; k++)
            {
                var next = _ordered[k].call(result);
                if (!ReferenceEquals(next, result)) result.Dispose();
                result = next;
            }
            return ReferenceEquals(result, input) ? input.alias() : result;
        }

        public IEnumerator<nn.Module<Tensor, Tensor>> GetEnumerator() => _ordered.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.Sequential Sequential() => new();

            public static Modules.Sequential Sequential(params Module<Tensor, Tensor>[] modules)
            {
                var sequential = new Modules.Sequential();
                foreach (var m in modules) sequential.append(m);
                return sequential;
            }

            public static Modules.Sequential Sequential(params (string name, Module<Tensor, Tensor> submodule)[] modules)
            {
                var sequential = new Modules.Sequential();
                foreach (var (n, m) in modules) sequential.append(n, m);
                return sequential;
            }

            public static Modules.Sequential Sequential(IEnumerable<Module<Tensor, Tensor>> modules) => Sequential(modules.ToArray());
        }
    }
}
