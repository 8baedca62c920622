using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>What a score tensor of an <see cref="IDifferentiableClassifier"/> holds.</summary>
public enum ClassifierScoreKind
{
    /// <summary>Unnormalised logits, one per class (softmax gives the probabilities): the direct networks.</summary>
    Logits,

    /// <summary>Similarity scores in [0, 1], one per object class, and a constant threshold entry (Θ) in the
    /// None column: the triple-staged network. The argmax of a row is the Θ decision.</summary>
    Similarities,
}

/// <summary>
/// A classifier whose scores are a differentiable function of its input images, as gradient attacks need it.
/// Implemented by <see cref="DirectClassifier"/>, <see cref="DirectWithParameters"/> and
/// <see cref="TripleStagedNetwork"/>; a fitted transformer hands its own out (its <c>Classifier</c> property).
/// </summary>
/// <remarks>
/// Classes are numbered as the label key of the training data: class c is key c + 1, and the Score column of
/// the fitted transformer has the same <see cref="ClassCount"/> entries in the same order. Images are
/// <c>[N, 1, S, S]</c> tensors (S = <see cref="InputSize"/>) of the model's dtype on its device, with the value range
/// of the training data. Put the module in evaluation mode (<c>eval()</c>) before attacking it: dropout is
/// random in training mode. No member changes the module's mode or its weights' <c>requires_grad</c>.
/// </remarks>
public interface IDifferentiableClassifier
{
    /// <summary>The number of classes a decision can name, None included when there is one.</summary>
    int ClassCount { get; }

    /// <summary>The class that means "no object", or -1 when the classifier has none.</summary>
    int NoneClassIndex { get; }

    /// <summary>The side S of the square input images.</summary>
    long InputSize { get; }

    ClassifierScoreKind ScoreKind { get; }

    /// <summary>Scores of <paramref name="images"/> <c>[N, 1, S, S]</c> as <c>[N, ClassCount]</c>, in the autograd graph
    /// of the images (use <c>torch.autograd.grad</c> for input gradients).</summary>
    Tensor Scores(Tensor images);

    /// <summary>The decision for each row of <paramref name="scores"/> (as <see cref="Scores"/> returns them): <c>[N]</c> int64
    /// class indices. For logits the argmax; for similarities the Θ rule (None when every class score is below Θ,
    /// else the best class).</summary>
    Tensor Decide(Tensor scores);

    /// <summary>The per-sample loss a targeted attack minimises to make the classifier answer <paramref name="targets"/>
    /// (<c>[N]</c> int64 class indices), as <c>[N]</c>: softmax cross entropy for logits; for similarities the paper's
    /// Euclidean loss ½‖s − onehot(target)‖² over the object-class scores (target None = all zeros).</summary>
    Tensor TargetLoss(Tensor scores, Tensor targets);
}
