namespace MLRobust.Rendering.Backgrounds;

/// <summary>Puts a render over a background, and the optional contrast stretch of the result.</summary>
public static class Compositing
{
    /// <summary>
    /// output = intensity·alpha + background·(1 − alpha) per pixel, with straight (not premultiplied)
    /// intensity as the rasterizer returns it; <paramref name="output"/> may alias <paramref name="background"/>.
    /// </summary>
    public static void Composite(ReadOnlySpan<float> intensity, ReadOnlySpan<float> alpha, ReadOnlySpan<float> background, Span<float> output)
    {
        int n = output.Length;
        if (intensity.Length != n || alpha.Length != n || background.Length != n)
            throw new ArgumentException($"intensity ({intensity.Length}), alpha ({alpha.Length}), background ({background.Length}) and output ({n}) must have the same length");
        for (int i = 0; i < n; i++)
        {
            float a = alpha[i];
            output[i] = intensity[i] * a + background[i] * (1 - a);
        }
    }

    /// <summary>
    /// Maps the <paramref name="lowQuantile"/>..<paramref name="highQuantile"/> range of the pixel values
    /// linearly onto [0, 1], clamping the rest. An image whose range is below 1/255 is left as it is
    /// (stretching it would only amplify noise).
    /// </summary>
    public static void ContrastStretch(Span<float> pixels, float lowQuantile = 0.01f, float highQuantile = 0.99f)
    {
        if (!(lowQuantile >= 0 && lowQuantile < highQuantile && highQuantile <= 1))
            throw new ArgumentOutOfRangeException(nameof(lowQuantile), $"need 0 <= lowQuantile < highQuantile <= 1, got {lowQuantile} and {highQuantile}");
        if (pixels.Length == 0) return;
        var sorted = pixels.ToArray();
        Array.Sort(sorted);
        float lo = sorted[(int)Math.Round(lowQuantile * (sorted.Length - 1))];
        float hi = sorted[(int)Math.Round(highQuantile * (sorted.Length - 1))];
        if (!(hi - lo >= 1f / 255)) return;
        float scale = 1 / (hi - lo);
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = Math.Clamp((pixels[i] - lo) * scale, 0f, 1f);
    }
}
