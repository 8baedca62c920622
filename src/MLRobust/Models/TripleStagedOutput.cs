using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>Everything the merged network computes for a batch of N images and K object classes: the class scores
/// <c>[N, K]</c>, the clipped pose estimates <c>[N, K, P]</c>, the projected images and masks <c>[N, K, S, S]</c> and the
/// similarity maps <c>[N, K, S − p + 1, S − p + 1]</c> (p = patch size). The tensors belong to the dispose scope they were made in.</summary>
public sealed record TripleStagedOutput(Tensor ClassScores, Tensor Parameters, Tensor ProjectedImages, Tensor Masks, Tensor SimilarityMaps)
{
    public TripleStagedOutput MoveToOuterDisposeScope()
    {
        ClassScores.MoveToOuterDisposeScope();
        Parameters.MoveToOuterDisposeScope();
        ProjectedImages.MoveToOuterDisposeScope();
        Masks.MoveToOuterDisposeScope();
        SimilarityMaps.MoveToOuterDisposeScope();
        return this;
    }
}
