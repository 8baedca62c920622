using MLRobust.Attacks;
using MLRobust.Models;
using static TorchSharp.torch;

namespace MLRobust.Explanations;

/// <summary>Which number of the model an explanation explains, for the explained class.</summary>
public enum ExplainedOutput
{
    /// <summary>The class probability: softmax of the evidence for logits models; for score models (the triple-staged
    /// network, <see cref="AttackTarget.FromScores"/>) the score itself, which already is in [0, 1].</summary>
    Probability,

    /// <summary>The model's evidence as it is (logit, or score).</summary>
    Evidence,
}

/// <summary>How the explained outputs are computed from a model's evidence.</summary>
internal static class ExplainedOutputs
{
    /// <summary>Whether the model's evidence is already a score rather than a logit.</summary>
    internal static bool IsScoreModel(IAttackTarget model) =>
        model is ScoresAttackTarget || (model is ClassifierAttackTarget c && c.Classifier.ScoreKind == ClassifierScoreKind.Similarities);

    /// <summary>[N, K] explained outputs of images [N, C, H, W] (differentiable when gradients are enabled).</summary>
    internal static Tensor Compute(IAttackTarget model, Tensor images, ExplainedOutput output)
    {
        using var scope = NewDisposeScope();
        var evidence = model.Evidence(model.Forward(images));
        var result = output == ExplainedOutput.Probability && !IsScoreModel(model) ? evidence.softmax(1) : evidence;
        return result.MoveToOuterDisposeScope();
    }
}
