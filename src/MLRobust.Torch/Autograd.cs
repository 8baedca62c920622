using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    /// <summary>Disables gradient recording on this thread until disposed:
    /// <code>using (torch.no_grad()) { … }</code></summary>
    public static IDisposable no_grad() => new GradModeGuard(false);

    /// <summary>Enables (or sets) gradient recording on this thread until disposed.</summary>
    public static IDisposable enable_grad(bool enabled = true) => new GradModeGuard(enabled);

    /// <summary>Sets gradient recording on this thread (without restoring).</summary>
    public static void set_grad_enabled(bool enabled)
    {
        NativeLibraryLoader.EnsureLoaded();
        NativeMethods.mlr_set_grad_enabled(enabled ? 1 : 0);
    }

    public static bool is_grad_enabled()
    {
        NativeLibraryLoader.EnsureLoaded();
        return NativeMethods.mlr_grad_enabled() == 1;
    }

    private sealed class GradModeGuard : IDisposable
    {
        private readonly bool _previous;
        private bool _disposed;

        internal GradModeGuard(bool enabled)
        {
            _previous = is_grad_enabled();
            set_grad_enabled(enabled);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            set_grad_enabled(_previous);
        }
    }

    public static class autograd
    {
        /// <summary>Computes gradients of <paramref name="tensors"/> and accumulates them in the leaves.</summary>
        public static unsafe void backward(IList<Tensor> tensors, IList<Tensor>? grad_tensors = null, bool retain_graph = false, bool create_graph = false)
        {
            if (tensors.Count == 0) throw new ArgumentException("backward: no tensors given", nameof(tensors));
            if (grad_tensors != null && grad_tensors.Count != tensors.Count)
                throw new ArgumentException($"backward: {tensors.Count} tensors but {grad_tensors.Count} gradients", nameof(grad_tensors));
            var hs = Handles(tensors);
            var gs = grad_tensors == null ? Array.Empty<IntPtr>() : Handles(grad_tensors);
            int rc;
            fixed (IntPtr* ph = hs)
            fixed (IntPtr* pg = gs)
                rc = NativeMethods.mlr_backward(ph, hs.Length, pg, gs.Length, retain_graph || create_graph ? 1 : 0, create_graph ? 1 : 0);
            GC.KeepAlive(tensors);
            GC.KeepAlive(grad_tensors);
            NativeErrors.Check(rc, "backward");
        }

        /// <summary>Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>,
        /// returned rather than accumulated: parameters' <c>grad</c> stays untouched (what attacks need).
        /// An input the outputs do not depend on gives null when allow_unused is true.</summary>
        public static unsafe Tensor?[] grad(IList<Tensor> outputs, IList<Tensor> inputs, IList<Tensor>? grad_outputs = null,
            bool? retain_graph = null, bool create_graph = false, bool allow_unused = false)
        {
            if (outputs.Count == 0) throw new ArgumentException("grad: no outputs given", nameof(outputs));
            if (inputs.Count == 0) throw new ArgumentException("grad: no inputs given", nameof(inputs));
            if (grad_outputs != null && grad_outputs.Count != outputs.Count)
                throw new ArgumentException($"grad: {outputs.Count} outputs but {grad_outputs.Count} grad_outputs", nameof(grad_outputs));
            var os = Handles(outputs);
            var ins = Handles(inputs);
            var gs = grad_outputs == null ? Array.Empty<IntPtr>() : Handles(grad_outputs);
            var results = new IntPtr[inputs.Count];
            int rc;
            fixed (IntPtr* po = os)
            fixed (IntPtr* pi = ins)
            fixed (IntPtr* pg = gs)
            fixed (IntPtr* pr = results)
                rc = NativeMethods.mlr_autograd_grad(po, os.Length, pi, ins.Length, pg, gs.Length,
                    retain_graph.HasValue ? (retain_graph.Value ? 1 : 0) : -1, create_graph ? 1 : 0, allow_unused ? 1 : 0, pr);
            GC.KeepAlive(outputs);
            GC.KeepAlive(inputs);
            GC.KeepAlive(grad_outputs);
            NativeErrors.Check(rc, "autograd.grad");
            return results.Select(h => h == IntPtr.Zero ? null : new Tensor(h)).ToArray();
        }

        private static IntPtr[] Handles(IList<Tensor> tensors)
        {
            var hs = new IntPtr[tensors.Count];
            for (var k = 0; k < hs.Length; k++) hs[k] = (tensors[k] ?? throw new ArgumentNullException(nameof(tensors), $"null tensor at position {k}")).Handle;
            return hs;
        }
    }
}
