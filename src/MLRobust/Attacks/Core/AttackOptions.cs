namespace MLRobust.Attacks;

/// <summary>Options every attack shares.</summary>
public abstract class AttackOptions
{
    /// <summary>The value range of the images and of the model's input. Sizes (epsilon, steps) are in its units.</summary>
    /// <summary>The images' value range; null (the default): the model's declared range (<see cref="IAttackTarget.Range"/>), else [0, 1].</summary>
    public InputRange? Range;

    /// <summary>Untargeted, or the rule that picks each sample's target.</summary>
    public TargetSelection Target = TargetSelection.Untargeted;

    /// <summary>Seeds the attack's random choices (random starts, evolution); each sample draws from its own stream.</summary>
    public int Seed;

    /// <summary>Checks the options common to every attack; attacks add their own checks.</summary>
    internal virtual void Validate()
    {
        if (!Enum.IsDefined(Target)) throw new ArgumentOutOfRangeException(nameof(Target), Target, "Unknown target selection.");
        if (Range is { } range && !(range.Max > range.Min)) throw new ArgumentOutOfRangeException(nameof(Range), Range, "The input range needs Max > Min (InputRange.Unit, InputRange.Grey or new InputRange(min, max)).");
    }

    internal static double Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive number.");
        return value;
    }

    internal static double NonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be zero or positive.");
        return value;
    }

    internal static int AtLeast(int value, int min, string name)
    {
        if (value < min) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {min}.");
        return value;
    }
}
