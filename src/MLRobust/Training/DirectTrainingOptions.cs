namespace MLRobust.Training;

/// <summary>Training of the direct classifiers (with or without the pose head). The defaults are a short laptop run;
/// <see cref="UsePaperSolver"/> switches to the reference code's 40k iterations of batch 128.</summary>
public class DirectTrainingOptions : TrainingOptions
{
    public StageOptions Classifier = new(600, 64, new SolverOptions
    {
        Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, WeightDecay = 0,
    });

    /// <summary>The paper's solver: SGD, lr 0.01 × 0.1 every 10k, 40k iterations, batch 128.</summary>
    public void UsePaperSolver() => Classifier = new StageOptions(40_000, 128, SolverOptions.PaperClassifier());

    internal void Validate()
    {
        ValidateCommon();
        ArgumentNullException.ThrowIfNull(Classifier, nameof(Classifier));
        Classifier.Validate(nameof(Classifier));
    }
}
