using MLRobust.Models;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Builds <see cref="IAttackTarget"/>s from the models attacks are run against.</summary>
public static class AttackTarget
{
    /// <summary>An MLRobust classifier (direct or triple-staged).</summary>
    public static IAttackTarget From(IDifferentiableClassifier classifier) => new ClassifierAttackTarget(classifier);

    /// <summary>Any module returning logits [N, <paramref name="classCount"/>].</summary>
    public static IAttackTarget FromLogits(nn.Module<Tensor, Tensor> module, int classCount, int? noneClass = null) =>
        new LogitsAttackTarget(module, classCount, noneClass);

    /// <summary>Your own TorchSharp classifier: a module returning logits [N, K] for the classes <paramref name="classNames"/>,
    /// taking images in <paramref name="range"/> (null: [0, 1]).</summary>
    public static IAttackTarget FromModule(nn.Module<Tensor, Tensor> module, IReadOnlyList<string> classNames, InputRange? range = null, string? noneClassName = null) =>
        new LogitsAttackTarget(module, classNames, range, noneClassName);

    /// <summary>Any module returning K scores in [0, 1] with the threshold rule (None = class K).</summary>
    public static IAttackTarget FromScores(nn.Module<Tensor, Tensor> module, int objectClasses, double threshold) =>
        new ScoresAttackTarget(module, objectClasses, threshold);
}
