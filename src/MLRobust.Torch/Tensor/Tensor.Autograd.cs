using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private static readonly Op s_detach = new("aten::detach");

        public bool requires_grad
        {
            get => NativeErrors.Check(Keep(NativeMethods.mlr_tensor_requires_grad(Handle)), "requires_grad") == 1;
            set
            {
                NativeErrors.Check(NativeMethods.mlr_tensor_set_requires_grad(Handle, value ? 1 : 0), "requires_grad");
                GC.KeepAlive(this);
            }
        }

        public Tensor requires_grad_(bool requires_grad = true)
        {
            this.requires_grad = requires_grad;
            return this;
        }

        public bool is_leaf => NativeErrors.Check(Keep(NativeMethods.mlr_tensor_is_leaf(Handle)), "is_leaf") == 1;

        public void retain_grad()
        {
            NativeErrors.Check(NativeMethods.mlr_tensor_retain_grad(Handle), "retain_grad");
            GC.KeepAlive(this);
        }

        /// <summary>The accumulated gradient, or null. Each read returns a new handle to it, which
        /// the current dispose scope collects like any other tensor.</summary>
        public Tensor? grad
        {
            get
            {
                var h = NativeMethods.mlr_tensor_grad(Handle);
                GC.KeepAlive(this);
                if (h == IntPtr.Zero)
                {
                    NativeErrors.Check("grad");
                    return null;
                }
                return new Tensor(h);
            }
            set
            {
                NativeErrors.Check(NativeMethods.mlr_tensor_set_grad(Handle, value?.Handle ?? IntPtr.Zero), "grad");
                GC.KeepAlive(this);
                GC.KeepAlive(value);
            }
        }

        /// <summary>Accumulates gradients of this tensor into the leaves' <see cref="grad"/>.</summary>
        public void backward(IList<Tensor>? grad_tensors = null, bool retain_graph = false, bool create_graph = false)
            => autograd.backward(new[] { this }, grad_tensors, retain_graph, create_graph);

        public void backward(Tensor gradient, bool retain_graph = false, bool create_graph = false)
            => autograd.backward(new[] { this }, new[] { gradient }, retain_graph, create_graph);

        /// <summary>A tensor sharing data with this one but cut off from the autograd graph.</summary>
        public Tensor detach() => s_detach.Begin().T(this).ToTensor();
    }
}
