using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules
{
    /// <summary>A tensor that is a module's trainable state: a leaf that requires grad (by default) and
    /// that no dispose scope owns, so a training loop inside <c>using (NewDisposeScope())</c> never
    /// disposes weights. The module that registers it (or whoever creates it) disposes it.</summary>
    public class Parameter : Tensor
    {
        /// <summary>A parameter sharing storage with <paramref name="data"/>, as nn.Parameter(data) in
        /// PyTorch: a new leaf cut off from data's autograd history. <paramref name="data"/> stays
        /// valid and owned by the caller.</summary>
        public Parameter(Tensor data, bool requires_grad = true) : base(LeafOf(data))
        {
            DetachFromDisposeScope();
            if (requires_grad) this.requires_grad = true;
        }

        // The protected base constructor takes over the handle it is given; give it a fresh detached alias
        // so the caller's tensor is untouched.
        private static Tensor LeafOf(Tensor data)
        {
            ArgumentNullException.ThrowIfNull(data);
            return data.detach();
        }

        public override string ToString() => IsInvalid ? "Parameter (disposed)" : "Parameter " + base.ToString();
    }
}

namespace MLRobust.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>nn.Parameter(data): a trainable leaf sharing storage with data.</summary>
            public static Modules.Parameter Parameter(Tensor data, bool requires_grad = true) => new(data, requires_grad);
        }
    }
}
