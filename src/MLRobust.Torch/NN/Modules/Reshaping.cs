using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    /// <summary>Flattens dimensions start_dim..end_dim into one (by default all but the batch dimension).</summary>
    public sealed class Flatten : nn.Module<Tensor, Tensor>
    {
        internal Flatten(long start_dim, long end_dim) : base(nameof(Flatten))
        {
            this.start_dim = start_dim;
            this.end_dim = end_dim;
        }

        public long start_dim { get; }
        public long end_dim { get; }
        public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
    }

    /// <summary>Splits dimension <see cref="dim"/> into <see cref="sizes"/> (e.g. [N, 64] → [N, 4, 4, 4]).</summary>
    public sealed class Unflatten : nn.Module<Tensor, Tensor>
    {
        internal Unflatten(long dim, long[] sizes) : base(nameof(Unflatten))
        {
            ArgumentNullException.ThrowIfNull(sizes);
            if (sizes.Length == 0) throw new ArgumentException("Unflatten: sizes must not be empty", nameof(sizes));
            this.dim = dim;
            this.sizes = (long[])sizes.Clone();
        }

        public long dim { get; }
        public long[] sizes { get; }
        public override Tensor forward(Tensor input) => input.unflatten(dim, sizes);
    }

    /// <summary>Returns its input (a fresh handle to it).</summary>
    public sealed class Identity : nn.Module<Tensor, Tensor>
    {
        internal Identity() : base(nameof(Identity)) { }
        public override Tensor forward(Tensor input) => input.alias();
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static Modules.Flatten Flatten(long start_dim = 1, long end_dim = -1) => new(start_dim, end_dim);
            public static Modules.Unflatten Unflatten(long dim, long[] sizes) => new(dim, sizes);
            public static Modules.Identity Identity() => new();
        }
    }
}
