namespace MLRobust.Attacks;

/// <summary>Options of <see cref="LinearInterpolation"/>.</summary>
public sealed class InterpolationOptions
{
    /// <summary>Evenly spaced values of T in [0, 1], both ends included; default 100 (Ding and Moeller).</summary>
    public int Steps = 100;

    /// <summary>Images evaluated per forward pass; default 512.</summary>
    public int BatchSize = 512;

    internal void Validate()
    {
        if (Steps < 2) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "An interpolation sweep needs at least 2 steps.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
    }
}
