namespace MLRobust.Rendering.Backgrounds;

internal static class BackgroundChecks
{
    public static void Size(Span<float> pixels, int width, int height)
    {
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "the width must be positive");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "the height must be positive");
        if (pixels.Length < (long)width * height)
            throw new ArgumentException($"pixels must hold {(long)width * height} floats for {width}x{height}, got {pixels.Length}", nameof(pixels));
    }
}
