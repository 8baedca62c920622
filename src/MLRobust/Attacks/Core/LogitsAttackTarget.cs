using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>An <see cref="IAttackTarget"/> over any module that returns logits [N, K]: evidence = logits,
/// loss = per-sample cross entropy. The direct classifiers (K objects + None) use it with
/// <c>noneClass</c> set. The module runs in evaluation mode during the attack (dropout off) and is put back
/// in training mode afterwards if it was.</summary>
public sealed class LogitsAttackTarget : IAttackTarget
{
    private readonly nn.Module<Tensor, Tensor> _module;

    public LogitsAttackTarget(nn.Module<Tensor, Tensor> module, int classCount, int? noneClass = null)
    {
        _module = module ?? throw new ArgumentNullException(nameof(module));
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A classifier needs at least 2 classes.");
        if (noneClass is { } n && (n < 0 || n >= classCount))
            throw new ArgumentOutOfRangeException(nameof(noneClass), noneClass, $"The None class must be one of the {classCount} classes.");
        ClassCount = classCount;
        NoneClass = noneClass;
    }

    public int ClassCount { get; }

    public int? NoneClass { get; }

    public Tensor Forward(Tensor images)
    {
        var training = _module.training;
        if (training) _module.eval();
        try
        {
            var logits = _module.call(images);
            if (logits.dim() != 2 || logits.size(1) != ClassCount)
            {
                var shape = string.Join("x", logits.shape);
                logits.Dispose();
                throw new InvalidOperationException($"The model returned outputs of shape [{shape}]; a logits model of {ClassCount} classes must return [N, {ClassCount}].");
            }
            return logits;
        }
        finally
        {
            if (training) _module.train();
        }
    }

    public Tensor Evidence(Tensor outputs) => outputs.alias();

    public Tensor Loss(Tensor outputs, Tensor labels) =>
        nn.functional.cross_entropy(outputs, labels, reduction: nn.Reduction.None);
}
