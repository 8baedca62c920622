namespace MLRobust.ML.Data.Codecs;

/// <summary>Bounds checked before any pixel buffer is allocated, so a hostile header can't exhaust memory.</summary>
internal static class ImageLimits
{
    internal const int MaxSide = 65_535;
    internal const long MaxPixels = 16_384L * 16_384L;

    internal static void CheckDimensions(long width, long height, string source)
    {
        if (width <= 0 || height <= 0)
            throw new InvalidDataException($"Image '{source}' has invalid dimensions {width}x{height}.");
        if (width > MaxSide || height > MaxSide || width * height > MaxPixels)
            throw new InvalidDataException($"Image '{source}' is {width}x{height}, larger than the supported {MaxPixels} pixels (16384x16384) or {MaxSide} per side.");
    }
}
