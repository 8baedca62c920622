using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>What every training run shares: seed, device, progress reporting, validation, cancellation and
/// checkpoints.</summary>
public abstract class TrainingOptions
{
    /// <summary>Makes the run repeatable: batch order, dropout and patch sampling follow from it (and, in the ML.NET trainers,
    /// the initial weights). Null: the ML.NET trainers draw one from the MLContext's seed stream; the plain training API uses 1.</summary>
    public int? Seed;

    internal int EffectiveSeed => Seed ?? 1;

    /// <summary>Where tensors live; null: the CPU. The ML.NET trainers take it from the MLContext.</summary>
    public Device? Device;

    /// <summary>Called on the training thread every <see cref="ProgressInterval"/> iterations, at validations and at
    /// the end of every stage.</summary>
    public Action<TrainingProgress>? Progress;

    public int ProgressInterval = 50;

    /// <summary>Iterations between validations (0: only at the end of each stage). Needs a validation source.</summary>
    public int ValidationInterval;

    /// <summary>How many validation rows a validation reads (in order), at most.</summary>
    public int ValidationRows = 512;

    public CancellationToken CancellationToken;

    /// <summary>A folder for checkpoints (created when missing); null: none. Written atomically every
    /// <see cref="CheckpointInterval"/> iterations and at the end of every stage.</summary>
    public string? CheckpointDirectory;

    public int CheckpointInterval = 500;

    /// <summary>With a checkpoint folder that holds a checkpoint of the same model: continue from it (true, the default)
    /// or start over (false).</summary>
    public bool Resume = true;

    /// <summary>Measures the robustness index on a held-out set every few iterations (see <see cref="Robustness.RobustnessMonitor"/>;
    /// read its <c>History</c> after training); null: no monitoring. The direct trainers are monitored throughout, the triple-staged
    /// trainer in its comparator stage.</summary>
    public Robustness.RobustnessMonitor? Monitor;

    /// <summary>Extra cancellation check (the ML.NET trainers pass the context's CheckAlive).</summary>
    internal Action? AliveCheck;

    /// <summary>A shallow copy: the trainers fill seed, device and hooks in on a copy, leaving the caller's options as given.</summary>
    internal TrainingOptions ShallowCopy() => (TrainingOptions)MemberwiseClone();

    internal void ValidateCommon()
    {
        if (ProgressInterval < 1) throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "must be positive");
        if (ValidationInterval < 0) throw new ArgumentOutOfRangeException(nameof(ValidationInterval), ValidationInterval, "must not be negative");
        if (ValidationRows < 1) throw new ArgumentOutOfRangeException(nameof(ValidationRows), ValidationRows, "must be positive");
        if (CheckpointInterval < 1) throw new ArgumentOutOfRangeException(nameof(CheckpointInterval), CheckpointInterval, "must be positive");
    }
}
