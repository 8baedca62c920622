using MLRobust.Augmentation;

namespace MLRobust.Training;

/// <summary>Training of the direct classifiers (with or without the pose head). The defaults are a short laptop run;
/// <see cref="UsePaperSolver"/> switches to the reference code's 40k iterations of batch 128.</summary>
public class DirectTrainingOptions : TrainingOptions
{
    public StageOptions Classifier = new(600, 64, new SolverOptions
    {
        Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, WeightDecay = 0,
    });

    /// <summary>Adversarial training: part of every batch replaced by PGD or FGSM examples of the current weights (see
    /// <see cref="AdversarialTrainingOptions"/>). Null (the default): plain training.</summary>
    public AdversarialTrainingOptions? Adversarial;

    /// <summary>Augmentations applied, in order, to every training batch (only to training: validation and the fitted model see
    /// the images as they are, whereas an augmentation transform placed in a saved ML.NET chain also changes the images it
    /// scores). Each row draws from a stream seeded by the run's seed and the iteration. They must keep the image size, and
    /// adversarial examples are made from the augmented images. With the pose head, prefer augmentations that leave the pose
    /// alone (noise, pixel changes): the pose targets are not rotated with the image. Null or empty: none.</summary>
    public IReadOnlyList<ImageAugmentation>? Augmentations;

    /// <summary>The paper's solver: SGD, lr 0.01 × 0.1 every 10k, 40k iterations, batch 128.</summary>
    public void UsePaperSolver() => Classifier = new StageOptions(40_000, 128, SolverOptions.PaperClassifier());

    internal void Validate()
    {
        ValidateCommon();
        ArgumentNullException.ThrowIfNull(Classifier, nameof(Classifier));
        Classifier.Validate(nameof(Classifier));
        Adversarial?.Validate();
        if (Augmentations is not null)
            for (var k = 0; k < Augmentations.Count; k++)
                if (Augmentations[k] is null) throw new ArgumentException($"Augmentations[{k}] is null", nameof(Augmentations));
    }
}
