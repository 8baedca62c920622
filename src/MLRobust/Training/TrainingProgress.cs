namespace MLRobust.Training;

/// <summary>
/// A report from a running training: the stage ("Classifier", "Estimator", "Projector", "Comparator"), how far it is,
/// the mean training loss since the previous report, the learning rate, and — on validation reports — the loss and
/// accuracy on the validation set (for the comparator stage the accuracy is that of the whole network at Θ).
/// </summary>
public sealed record TrainingProgress(
    string Stage,
    int StageIndex,
    int StageCount,
    int Iteration,
    int Iterations,
    double Loss,
    double LearningRate,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double SamplesPerSecond,
    TimeSpan Elapsed)
{
    public override string ToString() =>
        $"{Stage} {Iteration}/{Iterations}: loss {Loss:G4}, lr {LearningRate:G3}"
        + (ValidationLoss is { } vl ? $", validation loss {vl:G4}" : "")
        + (ValidationAccuracy is { } va ? $", validation accuracy {va:P2}" : "")
        + $", {SamplesPerSecond:F0} samples/s";
}
