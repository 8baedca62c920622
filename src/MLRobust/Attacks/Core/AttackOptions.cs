namespace MLRobust.Attacks;

/// <summary>Options every attack shares.</summary>
public abstract class AttackOptions
{
    /// <summary>The images' value range; null (the default): the model's declared range (<see cref="IAttackTarget.Range"/>), else [0, 1].</summary>
    public InputRange? Range;

    /// <summary>Untargeted, or the rule that picks each sample's target.</summary>
    public TargetSelection Target = TargetSelection.Untargeted;

    /// <summary>Seeds the attack's random choices (random starts, evolution); each sample draws from its own stream.</summary>
    public int Seed;

    /// <summary>The precision of the images the attack delivers: <see cref="AttackPrecision.Float32"/> (the default) as it
    /// computed them, or <see cref="AttackPrecision.GreyLevels8"/> rounded to the range's 256 grey levels, as 8-bit image
    /// files and byte columns hold them. Success, steps and every metric describe the delivered images.</summary>
    public AttackPrecision Precision = AttackPrecision.Float32;

    /// <summary>With 8-bit output, the minimal-perturbation attacks (DeepFool, C&amp;W, minimal FGSM, until-flip iterative FGSM;
    /// not the ε-bounded BIM, MI-FGSM and PGD, whose budget an extra step would break) stop just past the decision boundary, where rounding can undo them: they then add the least extra step (outward
    /// rounding, then one grey level at a time along the perturbation, at most <see cref="MaxExtraGreyLevels"/>) that keeps the
    /// rounded image adversarial, counting it in the steps. False: round to nearest and report what that gives.</summary>
    public bool EnsureRoundedSuccess = true;

    /// <summary>The most grey levels <see cref="EnsureRoundedSuccess"/> may add; default 8.</summary>
    public int MaxExtraGreyLevels = 8;

    /// <summary>A field-by-field copy (options hold only values), for sweeps that vary one option.</summary>
    internal AttackOptions ShallowCopy() => (AttackOptions)MemberwiseClone();

    /// <summary>Checks the options common to every attack; attacks add their own checks.</summary>
    internal virtual void Validate()
    {
        if (!Enum.IsDefined(Precision)) throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "Unknown precision.");
        if (MaxExtraGreyLevels < 0) throw new ArgumentOutOfRangeException(nameof(MaxExtraGreyLevels), MaxExtraGreyLevels, "must be zero or positive.");
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
