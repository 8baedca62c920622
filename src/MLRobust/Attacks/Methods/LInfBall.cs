using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Projection on the L∞ ball around the clean images, then on the input range.</summary>
internal static class LInfBall
{
    internal static Tensor Project(AttackBatch batch, Tensor x, Tensor clean, double epsilon)
    {
        using var scope = NewDisposeScope();
        var delta = (x - clean).clamp(HeldScalars.Held(-epsilon), HeldScalars.Held(epsilon));
        return batch.Clip(clean + delta).MoveToOuterDisposeScope();
    }
}
