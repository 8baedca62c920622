namespace MLRobust.Training;

/// <summary>How the learning rate changes with the iteration (Caffe's lr_policy names in brackets).</summary>
public enum LearningRateSchedule
{
    /// <summary>Constant ("fixed").</summary>
    Fixed,

    /// <summary>Multiplied by Gamma every StepSize iterations ("step").</summary>
    Step,

    /// <summary>Multiplied by Gamma at each of the Milestones ("multistep").</summary>
    MultiStep,

    /// <summary>A linear warm-up over WarmupIterations, then half a cosine from the rate down to 0 at the stage's last iteration
    /// (PyTorch's LinearLR then CosineAnnealingLR): for short runs, which end with small steps instead of at full rate.</summary>
    Cosine,
}
