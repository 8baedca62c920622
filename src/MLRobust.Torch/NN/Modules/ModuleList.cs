using System.Collections;
using System.Globalization;
using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    /// <summary>A list of submodules registered as "0", "1", … (their parameters are the list's),
    /// for models that run them in their own order.</summary>
    public sealed class ModuleList<T> : nn.Module, IReadOnlyList<T> where T : nn.Module
    {
        private readonly List<T> _items = new();

        internal ModuleList() : base(nameof(ModuleList<T>)) { }

        public int Count => _items.Count;

        public T this[int index] => _items[index];

        public ModuleList<T> append(T module)
        {
            ArgumentNullException.ThrowIfNull(module);
            register_module(_items.Count.ToString(CultureInfo.InvariantCulture), module);
            _items.Add(module);
            return this;
        }

        public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.ModuleList<T> ModuleList<T>(params T[] modules) where T : Module
            {
                var list = new Modules.ModuleList<T>();
                foreach (var m in modules) list.append(m);
                return list;
            }
        }
    }
}
