namespace MLRobust.Training;

/// <summary>How big a reproduction of the paper's clean-error table is.</summary>
public enum ReproductionScale
{
    /// <summary>2,000 training and 400 test renders of 64×64, a few hundred iterations per stage: about 10 minutes on 2 CPU cores.</summary>
    Small,

    /// <summary>The paper's data (40,000 training and 10,000 test renders per class, None included) and the reference code's solvers
    /// and run lengths: days on a CPU, for a GPU.</summary>
    Paper,
}

/// <summary>What <see cref="ReproductionRunner"/> trains and evaluates.</summary>
public sealed class ReproductionOptions
{
    public ReproductionScale Scale = ReproductionScale.Small;

    /// <summary>Training renders (None included); null: the scale's (2,000 small, 160,000 paper).</summary>
    public int? TrainRows;

    /// <summary>Test renders; null: the scale's (400 small, 40,000 paper).</summary>
    public int? TestRows;

    public int ImageSize = 64;

    /// <summary>Seeds the renders (the test set uses the next seed) and the training runs.</summary>
    public int Seed = 1;

    /// <summary>The Θ values of the triple-staged rows of the table (the paper's).</summary>
    public double[] Thresholds = { 0.2, 0.45, 0.7 };

    /// <summary>Where to save the three trained models (direct.zip, direct-parameters.zip, triple-staged.zip); null: not saved.</summary>
    public string? ModelFolder;

    /// <summary>Where to keep training checkpoints (one sub-folder per model), so an interrupted run resumes; null: none.</summary>
    public string? CheckpointFolder;

    /// <summary>Stage messages ("rendering", "training direct", ...).</summary>
    public Action<string>? Log;

    /// <summary>Training progress of each model: (model name, report).</summary>
    public Action<string, TrainingProgress>? Progress;

    public CancellationToken CancellationToken;
}
