using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>
/// An <see cref="IAttackTarget"/> over a module that returns K class scores in [0, 1] and decides None when
/// every score is below the threshold Θ (the triple-staged network). Classes are the K objects then None
/// (index K). Evidence is the K scores plus a constant Θ column, so its argmax is exactly the decision rule
/// (a score equal to Θ counts as an object). The loss is the paper's: half the squared Euclidean distance
/// from the K scores to the target's one-hot vector, all zeros for None.
/// </summary>
public sealed class ScoresAttackTarget : IAttackTarget
{
    private readonly Func<Tensor, Tensor> _scores;
    private readonly int _objects;

    public ScoresAttackTarget(nn.Module<Tensor, Tensor> module, int objectClasses, double threshold)
        : this(ModuleForward(module ?? throw new ArgumentNullException(nameof(module))), objectClasses, threshold)
    {
    }

    /// <summary>Over any differentiable function returning [N, <paramref name="objectClasses"/>] scores.</summary>
    public ScoresAttackTarget(Func<Tensor, Tensor> scores, int objectClasses, double threshold)
    {
        _scores = scores ?? throw new ArgumentNullException(nameof(scores));
        if (objectClasses < 1) throw new ArgumentOutOfRangeException(nameof(objectClasses), objectClasses, "At least one object class is needed.");
        if (!double.IsFinite(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be finite.");
        _objects = objectClasses;
        Threshold = threshold;
    }

    /// <summary>Θ: None when every score is below it.</summary>
    public double Threshold { get; }

    public int ClassCount => _objects + 1;

    public int? NoneClass => _objects;

    public Tensor Forward(Tensor images)
    {
        var scores = _scores(images);
        if (scores.dim() != 2 || scores.size(1) != _objects)
        {
            var shape = string.Join("x", scores.shape);
            scores.Dispose();
            throw new InvalidOperationException($"The model returned scores of shape [{shape}]; expected [N, {_objects}].");
        }
        return scores;
    }

    public Tensor Evidence(Tensor outputs)
    {
        using var scope = NewDisposeScope();
        var none = full(new[] { outputs.size(0), 1L }, HeldScalars.Held(Threshold), outputs.dtype, outputs.device);
        return cat(new[] { outputs, none }, 1).MoveToOuterDisposeScope();
    }

    public Tensor Loss(Tensor outputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        // One-hot over K + 1 classes, then drop the None column: a None target becomes all zeros.
        var goal = labels.one_hot(_objects + 1).narrow(1, 0, _objects).to_type(outputs.dtype);
        return ((outputs - goal).square().sum(1) * HeldScalars.Held(0.5)).MoveToOuterDisposeScope();
    }

    private static Func<Tensor, Tensor> ModuleForward(nn.Module<Tensor, Tensor> module) => images =>
    {
        var training = module.training;
        if (training) module.eval();
        try
        {
            return module.call(images);
        }
        finally
        {
            if (training) module.train();
        }
    };
}
