using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>
/// What an attack needs from a model: a differentiable forward pass over a batch [N, C, H, W], per-class
/// evidence whose argmax is the prediction (logits; or, for score models, the scores plus a constant
/// threshold column for None), and the per-sample loss that targeted attacks lower towards the target and
/// untargeted attacks raise away from the true label.
/// </summary>
public interface IAttackTarget
{
    /// <summary>Number of classes the model predicts, None included when it has one.</summary>
    int ClassCount { get; }

    /// <summary>Index of the None ("no object") class, or null when the model has none.</summary>
    int? NoneClass { get; }

    /// <summary>The model's raw outputs for <paramref name="images"/> (recording gradients when enabled).</summary>
    Tensor Forward(Tensor images);

    /// <summary>[N, <see cref="ClassCount"/>] evidence per class; its argmax (first index on ties) is the prediction.</summary>
    Tensor Evidence(Tensor outputs);

    /// <summary>[N] per-sample loss of <paramref name="outputs"/> against class indices <paramref name="labels"/> [N].</summary>
    Tensor Loss(Tensor outputs, Tensor labels);

    /// <summary>The value range the model takes its images in, when it declares one; attacks then work in it unless
    /// their options say otherwise (and refuse a contradicting range). Null: not declared ([0, 1] unless the options say).</summary>
    InputRange? Range => null;

    /// <summary>The class names, index by index (<see cref="ClassCount"/> of them), when known: for reports.</summary>
    IReadOnlyList<string>? ClassNames => null;
}
