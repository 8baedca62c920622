namespace MLRobust.Attacks;

/// <summary>What an attack aims for.</summary>
public enum TargetSelection
{
    /// <summary>Any prediction other than the true label.</summary>
    Untargeted,

    /// <summary>The class given per sample (a target column or tensor).</summary>
    Given,

    /// <summary>The class the model finds least likely on the clean image (None excluded).</summary>
    LeastLikely,

    /// <summary>The class after the true label, cyclically over the object classes (None skipped), for any class count.</summary>
    NextClass,

    /// <summary>The None class ("no object"): the false-negative experiment of the triple-staged paper.</summary>
    None,
}
