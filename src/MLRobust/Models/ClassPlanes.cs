using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>How the stages are told which class to work on: one-hot vectors, and for images K constant planes.</summary>
public static class ClassPlanes
{
    /// <summary>One-hot rows <c>[N, K]</c> of the object classes <paramref name="objectClasses"/> (<c>[N]</c> int64), in
    /// <paramref name="like"/>'s dtype and device.</summary>
    public static Tensor OneHot(Tensor objectClasses, int classCount, Tensor like)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return objectClasses.to(like.device).one_hot(classCount).to_type(like.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The image with K constant planes appended that hold its one-hot class: <c>[N, 1 + K, S, S]</c>.</summary>
    public static Tensor AppendToImages(Tensor images, Tensor oneHot)
    {
        using var scope = NewDisposeScope();
        var n = images.size(0);
        var k = oneHot.size(1);
        var planes = oneHot.reshape(n, k, 1, 1).expand(n, k, images.size(2), images.size(3));
        return cat(new[] { images, planes }, 1).MoveToOuterDisposeScope();
    }
}
