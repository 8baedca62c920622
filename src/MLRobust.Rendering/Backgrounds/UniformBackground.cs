namespace MLRobust.Rendering.Backgrounds;

/// <summary>One grey level everywhere; <see cref="Black"/> is the "no background" choice.</summary>
public sealed class UniformBackground : IBackgroundSource
{
    public UniformBackground(float level)
    {
        if (!(level >= 0 && level <= 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "the grey level must be in [0, 1]");
        Level = level;
    }

    public static UniformBackground Black { get; } = new(0);

    public float Level { get; }

    public void Fill(Span<float> pixels, int width, int height, ulong seed)
    {
        BackgroundChecks.Size(pixels, width, height);
        pixels[..(width * height)].Fill(Level);
    }
}
