using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Each sample's goal: reach the target class (targeted) or leave the true label (untargeted).</summary>
internal sealed class AttackGoal
{
    private AttackGoal(bool targeted, long[] goalLabels, long[] targets)
    {
        Targeted = targeted;
        GoalLabels = goalLabels;
        Targets = targets;
    }

    internal bool Targeted { get; }

    /// <summary>The target (targeted) or the true label (untargeted), per sample.</summary>
    internal long[] GoalLabels { get; }

    /// <summary>Targets per sample, -1 when untargeted.</summary>
    internal long[] Targets { get; }

    /// <summary>Whether predictions [n] meet goals [n] (both int64 tensors): a bool tensor.</summary>
    internal Tensor Meets(Tensor predictions, Tensor goals) => Targeted ? predictions.eq(goals) : predictions.ne(goals);

    internal bool Meets(long prediction, int sample) => Targeted ? prediction == GoalLabels[sample] : prediction != GoalLabels[sample];

    internal static AttackGoal Resolve(TargetSelection selection, IAttackTarget model, long[] labels, long[]? given, Tensor cleanEvidence)
    {
        var n = labels.Length;
        long[] targets;
        switch (selection)
        {
            case TargetSelection.Untargeted:
                return new AttackGoal(false, labels, Enumerable.Repeat(-1L, n).ToArray());
            case TargetSelection.Given:
                targets = given ?? throw new ArgumentException("Target selection 'Given' needs per-sample targets (the targets tensor or the target column).", "targets");
                break;
            case TargetSelection.LeastLikely:
                targets = LeastLikely(model, cleanEvidence);
                break;
            case TargetSelection.NextClass:
                targets = NextClass(model, labels);
                break;
            case TargetSelection.None:
                var none = model.NoneClass ?? throw new InvalidOperationException("Target selection 'None' needs a model with a None class; this one has none.");
                targets = Enumerable.Repeat((long)none, n).ToArray();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(selection), selection, "Unknown target selection.");
        }
        return new AttackGoal(true, targets, targets);
    }

    private static long[] LeastLikely(IAttackTarget model, Tensor evidence)
    {
        using var scope = NewDisposeScope();
        var e = evidence.detach();
        if (model.NoneClass is { } none)
        {
            using var mask = zeros(new[] { (long)model.ClassCount }, ScalarType.Bool, e.device);
            mask[none].fill_(true);
            e = e.masked_fill(mask.unsqueeze(0), HeldScalars.PositiveInfinity);
        }
        return e.argmin(1).data<long>().ToArray();
    }

    private static long[] NextClass(IAttackTarget model, long[] labels)
    {
        var objects = Enumerable.Range(0, model.ClassCount).Where(c => c != model.NoneClass).Select(c => (long)c).ToArray();
        return labels.Select(label =>
        {
            var position = Array.IndexOf(objects, label);
            return objects[(position + 1) % objects.Length];
        }).ToArray();
    }
}
