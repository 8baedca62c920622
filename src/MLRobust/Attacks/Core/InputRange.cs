namespace MLRobust.Attacks;

/// <summary>The value range of the images an attack works on, and of the model's input: [0, 1] by default,
/// [0, 255] as in the papers. Every size an attack takes (epsilon, step size) is in these units; defaults
/// are given in grey levels (1/255 of the range) so that they mean the same on either scale.</summary>
public readonly record struct InputRange
{
    public InputRange(float min, float max)
    {
        if (!float.IsFinite(min) || !float.IsFinite(max) || !(max > min))
            throw new ArgumentOutOfRangeException(nameof(max), $"An input range needs finite bounds with max > min; got [{min}, {max}].");
        Min = min;
        Max = max;
    }

    /// <summary>[0, 1].</summary>
    public static InputRange Unit => new(0f, 1f);

    /// <summary>[0, 255], the papers' grey levels.</summary>
    public static InputRange Grey => new(0f, 255f);

    public float Min { get; }
    public float Max { get; }

    public double Width => (double)Max - Min;

    /// <summary>One grey level in these units: <see cref="Width"/> / 255.</summary>
    public double GreyLevel => Width / 255.0;

    /// <summary><paramref name="levels"/> grey levels in these units.</summary>
    public double Levels(double levels) => levels * GreyLevel;

    public override string ToString() => FormattableString.Invariant($"[{Min}, {Max}]");
}
