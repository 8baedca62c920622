using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>The batch an attack works on: the clean images, each sample's goal, and the helpers every
/// attack uses (goal gradients, predictions, clipping, per-sample random streams).</summary>
internal sealed class AttackBatch
{
    internal AttackBatch(IAttackTarget model, Tensor images, AttackGoal goal, InputRange range, long[] sampleIds, int seed)
    {
        Model = model;
        Images = images;
        Goal = goal;
        Range = range;
        SampleIds = sampleIds;
        Seed = seed;
        GoalLabels = tensor(goal.GoalLabels, device: images.device);
    }

    internal IAttackTarget Model { get; }

    /// <summary>The clean images [N, C, H, W] (float32, no gradient).</summary>
    internal Tensor Images { get; }

    internal AttackGoal Goal { get; }

    /// <summary>Goal labels [N] (int64) on the images' device.</summary>
    internal Tensor GoalLabels { get; }

    internal InputRange Range { get; }

    internal long[] SampleIds { get; }

    internal int Seed { get; }

    internal int Count => SampleIds.Length;

    internal bool Targeted => Goal.Targeted;

    /// <summary>Number of values per sample (C·H·W).</summary>
    internal long Features => Images.numel() / Math.Max(1, Images.size(0));

    internal SampleRandom Random(int sample, long stream = 0) => new(Seed + stream * 1_000_003L, SampleIds[sample]);

    internal Tensor Clip(Tensor x) => x.clamp(HeldScalars.Held(Range.Min), HeldScalars.Held(Range.Max));

    /// <summary>The direction that moves <paramref name="x"/> towards its goal, from one forward and one
    /// backward pass: ∇loss(true label) untargeted, −∇loss(target) targeted. Also returns the predictions
    /// of that forward pass (for per-sample stopping).</summary>
    internal (Tensor Direction, Tensor Predictions) GoalDirection(Tensor x, Tensor goals)
    {
        using var scope = NewDisposeScope();
        var xg = x.detach().requires_grad_(true);
        Tensor outputs, gradient;
        using (enable_grad())
        {
            outputs = Model.Forward(xg);
            var loss = Model.Loss(outputs, goals).sum();
            gradient = autograd.grad(new[] { loss }, new[] { xg })[0]!;
        }
        Tensor predictions;
        using (no_grad()) predictions = Model.Evidence(outputs.detach()).argmax(1);
        var direction = Targeted ? gradient.neg() : gradient;
        return (direction.MoveToOuterDisposeScope(), predictions.MoveToOuterDisposeScope());
    }

    /// <summary>Predictions [n] for images [n, …] without recording gradients, in chunks of <paramref name="chunk"/>.</summary>
    internal Tensor Predict(Tensor x, int chunk = 256) => Prediction.Predict(Model, x, chunk);

    /// <summary>Meets-goal flags [n] for predictions of the samples at <paramref name="goals"/>.</summary>
    internal Tensor Meets(Tensor predictions, Tensor goals) => Goal.Meets(predictions, goals);

    /// <summary>Per-sample L2 norm over all but the first dimension, shaped [n, 1, 1, 1] for broadcasting.</summary>
    internal static Tensor SampleNorm(Tensor x, double p = 2)
    {
        using var scope = NewDisposeScope();
        var n = x.size(0);
        var norm = x.reshape(n, -1).norm(1, false, (float)p);
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[0] = n;
        return norm.reshape(shape).MoveToOuterDisposeScope();
    }

    /// <summary>Broadcast shape [n, 1, 1, …] of a per-sample value for a tensor like <paramref name="like"/>.</summary>
    internal static long[] PerSampleShape(Tensor like)
    {
        var shape = new long[like.dim()];
        Array.Fill(shape, 1L);
        shape[0] = like.size(0);
        return shape;
    }
}
