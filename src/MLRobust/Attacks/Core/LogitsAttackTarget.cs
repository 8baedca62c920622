using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>An <see cref="IAttackTarget"/> over any TorchSharp module that returns logits [N, K] (a network of your own,
/// or MLRobust's direct classifiers): evidence = logits, loss = per-sample cross entropy. The module runs in evaluation
/// mode during the attack (dropout off) and is put back in training mode afterwards if it was.</summary>
public sealed class LogitsAttackTarget : IAttackTarget
{
    private readonly nn.Module<Tensor, Tensor> _module;

    /// <summary>A logits model of <paramref name="classCount"/> classes; <paramref name="noneClass"/> is the "no object" class, if any.</summary>
    public LogitsAttackTarget(nn.Module<Tensor, Tensor> module, int classCount, int? noneClass = null)
        : this(module, classCount, noneClass, null, null)
    {
    }

    /// <summary>A logits model whose outputs are the classes <paramref name="classNames"/> (in output order), taking images in
    /// <paramref name="range"/> (e.g. <see cref="InputRange.Grey"/>; null: [0, 1] unless the attack's options say otherwise).
    /// <paramref name="noneClassName"/> names the "no object" class, if the model has one.</summary>
    public LogitsAttackTarget(nn.Module<Tensor, Tensor> module, IReadOnlyList<string> classNames, InputRange? range = null, string? noneClassName = null)
        : this(module, classNames?.Count ?? throw new ArgumentNullException(nameof(classNames)), NoneIndex(classNames, noneClassName), classNames, range)
    {
    }

    private LogitsAttackTarget(nn.Module<Tensor, Tensor> module, int classCount, int? noneClass, IReadOnlyList<string>? classNames, InputRange? range)
    {
        _module = module ?? throw new ArgumentNullException(nameof(module));
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A classifier needs at least 2 classes.");
        if (noneClass is { } n && (n < 0 || n >= classCount))
            throw new ArgumentOutOfRangeException(nameof(noneClass), noneClass, $"The None class must be one of the {classCount} classes.");
        if (classNames is not null && classNames.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Class names must not be empty.", nameof(classNames));
        if (range is { } r && !(r.Max > r.Min))
            throw new ArgumentOutOfRangeException(nameof(range), range, "The input range needs Max > Min.");
        ClassCount = classCount;
        NoneClass = noneClass;
        ClassNames = classNames?.ToArray();
        Range = range;
    }

    public int ClassCount { get; }

    public int? NoneClass { get; }

    public InputRange? Range { get; }

    public IReadOnlyList<string>? ClassNames { get; }

    private static int? NoneIndex(IReadOnlyList<string> names, string? none)
    {
        if (none is null) return null;
        var index = names.ToList().IndexOf(none);
        return index >= 0 ? index : throw new ArgumentException($"The None class '{none}' is not one of the class names ({string.Join(", ", names)}).", nameof(none));
    }

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
