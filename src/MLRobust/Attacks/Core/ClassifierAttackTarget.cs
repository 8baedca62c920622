using MLRobust.Models;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>
/// An <see cref="IAttackTarget"/> over MLRobust's own classifiers (<see cref="IDifferentiableClassifier"/>: the
/// direct networks and the merged triple-staged network). Evidence is the classifier's score row, whose argmax
/// is its decision (for the triple-staged network the None column holds Θ); the loss is its
/// <see cref="IDifferentiableClassifier.TargetLoss"/> (cross entropy, or the paper's Euclidean loss on the
/// similarities with None = all zeros). A module in training mode is switched to evaluation mode for each
/// forward pass and back.
/// </summary>
public sealed class ClassifierAttackTarget : IAttackTarget
{
    public ClassifierAttackTarget(IDifferentiableClassifier classifier)
    {
        Classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
    }

    public IDifferentiableClassifier Classifier { get; }

    public int ClassCount => Classifier.ClassCount;

    public int? NoneClass => Classifier.NoneClassIndex >= 0 ? Classifier.NoneClassIndex : null;

    public Tensor Forward(Tensor images)
    {
        var module = Classifier as nn.Module;
        var training = module?.training ?? false;
        if (training) module!.eval();
        try
        {
            return Classifier.Scores(images);
        }
        finally
        {
            if (training) module!.train();
        }
    }

    public Tensor Evidence(Tensor outputs) => outputs.alias();

    public Tensor Loss(Tensor outputs, Tensor labels) => Classifier.TargetLoss(outputs, labels);
}
