namespace MLRobust.ML.Data;

/// <summary>How an <see cref="MLImage"/> lays out its pixels (one byte per channel, row-major, no padding).</summary>
public enum MLPixelFormat
{
    Unknown = 0,
    /// <summary>Blue, green, red, alpha.</summary>
    Bgra32 = 1,
    /// <summary>Red, green, blue, alpha.</summary>
    Rgba32 = 2,
    /// <summary>One luminance byte.</summary>
    Gray8 = 3,
}
