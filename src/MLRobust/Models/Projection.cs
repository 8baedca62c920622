using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>What the projector draws: the object's intensity, its mask (sigmoid of <see cref="MaskLogits"/>) and the
/// image intensity · mask, each <c>[N, 1, S, S]</c>. The tensors belong to the dispose scope they were made in.</summary>
public sealed record Projection(Tensor Image, Tensor Mask, Tensor MaskLogits, Tensor Intensity)
{
    /// <summary>Moves every tensor to the outer dispose scope.</summary>
    public Projection MoveToOuterDisposeScope()
    {
        Image.MoveToOuterDisposeScope();
        Mask.MoveToOuterDisposeScope();
        MaskLogits.MoveToOuterDisposeScope();
        Intensity.MoveToOuterDisposeScope();
        return this;
    }
}
