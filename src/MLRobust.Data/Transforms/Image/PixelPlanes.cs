using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms.Image;

/// <summary>Which channels, in which order, ExtractPixels and ConvertToImage read or write.</summary>
internal static class PixelPlanes
{
    internal enum Channel { Alpha, Red, Green, Blue, Gray }

    internal static Channel[] Of(ImagePixelExtractingEstimator.ColorBits bits, ImagePixelExtractingEstimator.ColorsOrder order)
    {
        const ImagePixelExtractingEstimator.ColorBits colours = ImagePixelExtractingEstimator.ColorBits.Rgb;
        if (bits == 0 || (bits & ~(ImagePixelExtractingEstimator.ColorBits.All | ImagePixelExtractingEstimator.ColorBits.Gray)) != 0)
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Choose at least one of Alpha, Red, Green, Blue or Gray.");
        if (bits.HasFlag(ImagePixelExtractingEstimator.ColorBits.Gray) && (bits & colours) != 0)
            throw new ArgumentException("Gray can't be combined with Red, Green or Blue.", nameof(bits));
        var sequence = order switch
        {
            ImagePixelExtractingEstimator.ColorsOrder.ARGB => "ARGB",
            ImagePixelExtractingEstimator.ColorsOrder.ARBG => "ARBG",
            ImagePixelExtractingEstimator.ColorsOrder.ABRG => "ABRG",
            ImagePixelExtractingEstimator.ColorsOrder.ABGR => "ABGR",
            ImagePixelExtractingEstimator.ColorsOrder.AGRB => "AGRB",
            ImagePixelExtractingEstimator.ColorsOrder.AGBR => "AGBR",
            _ => throw new ArgumentOutOfRangeException(nameof(order), order, "Unknown colour order."),
        };
        var planes = new List<Channel>();
        foreach (var c in sequence)
        {
            switch (c)
            {
                case 'A' when bits.HasFlag(ImagePixelExtractingEstimator.ColorBits.Alpha): planes.Add(Channel.Alpha); break;
                case 'R' when bits.HasFlag(ImagePixelExtractingEstimator.ColorBits.Red): planes.Add(Channel.Red); break;
                case 'G' when bits.HasFlag(ImagePixelExtractingEstimator.ColorBits.Green): planes.Add(Channel.Green); break;
                case 'B' when bits.HasFlag(ImagePixelExtractingEstimator.ColorBits.Blue): planes.Add(Channel.Blue); break;
            }
        }
        if (bits.HasFlag(ImagePixelExtractingEstimator.ColorBits.Gray)) planes.Add(Channel.Gray);
        return planes.ToArray();
    }

    /// <summary>Byte offsets of R, G, B, A within a pixel of <paramref name="format"/> (all 0 for grey, alpha -1 meaning 255).</summary>
    internal static (int R, int G, int B, int A) Offsets(MLPixelFormat format) => format switch
    {
        MLPixelFormat.Rgba32 => (0, 1, 2, 3),
        MLPixelFormat.Bgra32 => (2, 1, 0, 3),
        MLPixelFormat.Gray8 => (0, 0, 0, -1),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unsupported pixel format."),
    };
}
