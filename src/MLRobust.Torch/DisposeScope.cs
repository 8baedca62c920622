namespace MLRobust.Torch;

/// <summary>Collects every tensor created on this thread while it is the innermost scope and
/// disposes them when it is disposed, so loops keep native memory flat without a Dispose per
/// temporary. Scopes nest and are thread-local, as in TorchSharp:
/// <code>using (torch.NewDisposeScope()) { …; return result.MoveToOuterDisposeScope(); }</code></summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? t_current;

    private readonly HashSet<torch.Tensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    internal DisposeScope()
    {
        Outer = t_current;
        t_current = this;
    }

    internal static DisposeScope? Current => t_current;

    /// <summary>The scope that was current when this one was opened.</summary>
    public DisposeScope? Outer { get; }

    /// <summary>How many tensors this scope will dispose.</summary>
    public int DisposablesCount => _tensors.Count;

    // A tensor may be disposed on another thread than the one its scope belongs to (or by the
    // finalizer), so membership changes are locked.
    internal void Add(torch.Tensor t)
    {
        lock (_tensors)
        {
            _tensors.Add(t);
            t.OwningScope = this;
        }
    }

    internal void Remove(torch.Tensor t)
    {
        lock (_tensors)
        {
            _tensors.Remove(t);
            if (ReferenceEquals(t.OwningScope, this)) t.OwningScope = null;
        }
    }

    /// <summary>Hands a tensor to the outer scope (or to nobody when this is the outermost).</summary>
    public T MoveToOuter<T>(T tensor) where T : torch.Tensor
    {
        Remove(tensor);
        Outer?.Add(tensor);
        return tensor;
    }

    /// <summary>Takes a tensor out of every scope: the caller disposes it (or the finalizer does).</summary>
    public T Detach<T>(T tensor) where T : torch.Tensor
    {
        Remove(tensor);
        return tensor;
    }

    /// <summary>Disposes every tensor of this scope except the given ones, which stay in it.</summary>
    public void DisposeEverythingBut(params torch.Tensor[] keep)
    {
        var keepSet = new HashSet<torch.Tensor>(keep, ReferenceEqualityComparer.Instance);
        torch.Tensor[] victims;
        lock (_tensors)
        {
            victims = _tensors.Where(t => !keepSet.Contains(t)).ToArray();
            foreach (var t in victims)
            {
                _tensors.Remove(t);
                t.OwningScope = null;
            }
        }
        foreach (var t in victims) t.Dispose();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        torch.Tensor[] owned;
        lock (_tensors)
        {
            owned = _tensors.ToArray();
            _tensors.Clear();
            foreach (var t in owned) t.OwningScope = null;
        }
        foreach (var t in owned) t.Dispose();
        // Scopes normally close innermost first; if one is disposed out of order, unwind to its outer.
        if (ReferenceEquals(t_current, this)) t_current = Outer;
        else
        {
            for (var s = t_current; s != null; s = s.Outer)
                if (ReferenceEquals(s.Outer, this)) { t_current = Outer; break; }
        }
    }
}

public static partial class torch
{
    /// <summary>Opens a dispose scope on this thread.</summary>
    public static DisposeScope NewDisposeScope() => new();
}
