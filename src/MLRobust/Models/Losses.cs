using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>The losses of the reference code (Caffe layers), written out so their scale is unambiguous.</summary>
public static class Losses
{
    /// <summary>Caffe's EuclideanLoss: Σ (input − target)² / (2N), N = the batch size (first dimension).</summary>
    public static Tensor Euclidean(Tensor input, Tensor target)
    {
        CheckSameShape(input, target, nameof(Euclidean));
        using var scope = NewDisposeScope();
        var n = Math.Max(1, input.size(0));
        return (input - target).square().sum().div(HeldScalars.Held(2.0 * n)).MoveToOuterDisposeScope();
    }

    /// <summary>The Euclidean loss over the rows where <paramref name="rowMask"/> (<c>[N]</c>, bool) is true, still divided by
    /// 2N: the pose head of the direct + parameters network, masked out for None rows.</summary>
    public static Tensor MaskedEuclidean(Tensor input, Tensor target, Tensor rowMask)
    {
        CheckSameShape(input, target, nameof(MaskedEuclidean));
        using var scope = NewDisposeScope();
        var n = Math.Max(1, input.size(0));
        var weights = rowMask.to_type(input.dtype).reshape(input.size(0), 1);
        return ((input - target).square() * weights).sum().div(HeldScalars.Held(2.0 * n)).MoveToOuterDisposeScope();
    }

    /// <summary>The projector's loss: <paramref name="euclideanWeight"/> · Euclidean(image, clean render) + the sigmoid cross
    /// entropy of the mask logits against the alpha (mean over pixels, as Caffe's SigmoidCrossEntropyLoss normalises).</summary>
    public static Tensor Projector(Projection projection, Tensor cleanImages, Tensor alphas, double euclideanWeight = 0.01)
    {
        ArgumentNullException.ThrowIfNull(projection);
        using var scope = NewDisposeScope();
        var image = Euclidean(projection.Image, cleanImages);
        var mask = nn.functional.binary_cross_entropy_with_logits(projection.MaskLogits, alphas);
        return (image * HeldScalars.Held(euclideanWeight) + mask).MoveToOuterDisposeScope();
    }

    private static void CheckSameShape(Tensor input, Tensor target, string loss)
    {
        if (!input.shape.SequenceEqual(target.shape))
            throw new ArgumentException($"{loss}: target shape [{string.Join(", ", target.shape)}] must equal input shape [{string.Join(", ", input.shape)}]", nameof(target));
    }
}
