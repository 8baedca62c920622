using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>Input checks and the logits helpers the models share.</summary>
internal static class ModelChecks
{
    internal static void Images(Tensor images, long size, string model, long channels = 1)
    {
        ArgumentNullException.ThrowIfNull(images);
        var s = images.shape;
        if (s.Length != 4 || s[1] != channels || s[2] != size || s[3] != size)
            throw new ArgumentException($"{model}: expected images of shape [N, {channels}, {size}, {size}], got [{string.Join(", ", s)}]", nameof(images));
    }

    internal static void Scores(Tensor scores, int classCount, string what)
    {
        var s = scores.shape;
        if (s.Length != 2 || s[1] != classCount)
            throw new ArgumentException($"{what}: expected scores of shape [N, {classCount}], got [{string.Join(", ", s)}]", nameof(scores));
    }

    internal static Tensor Argmax(Tensor scores, int classCount)
    {
        Scores(scores, classCount, "Decide");
        using var noGrad = no_grad();
        return scores.argmax(1);
    }

    internal static Tensor CrossEntropyPerSample(Tensor scores, Tensor targets, int classCount)
    {
        Scores(scores, classCount, "TargetLoss");
        return nn.functional.cross_entropy(scores, targets, reduction: nn.Reduction.None);
    }
}
