using MLRobust.Augmentation;

namespace MLRobust.Robustness;

/// <summary>The four terms of Zhang and Cai's Pixel-index and its value <c>Pi = w / (p · r · a)</c> (PAPERS.md §3).
/// Lower is more robust: more change is needed for the same share of wrong images.</summary>
/// <param name="MisclassificationRate">w: the fraction of images the changes misclassify.</param>
/// <param name="ChangedPixelFraction">p: changed pixels / pixels of the image.</param>
/// <param name="RangeFraction">r: the width of the change range / 255.</param>
/// <param name="AreaFraction">a: pixels of the area the changes are drawn from / pixels of the image.</param>
public readonly record struct PixelIndexTerms(double MisclassificationRate, double ChangedPixelFraction, double RangeFraction, double AreaFraction)
{
    /// <summary>Pi = w / (p · r · a), computed from the unrounded terms.</summary>
    public double Value => PixelIndex.Compute(MisclassificationRate, ChangedPixelFraction, RangeFraction, AreaFraction);
}

/// <summary>Zhang and Cai's Pixel-index (PAPERS.md §3).</summary>
public static class PixelIndex
{
    /// <summary>Pi = w / (p · r · a) from the four fractions (each in (0, 1], w in [0, 1]).</summary>
    public static double Compute(double misclassificationRate, double changedPixelFraction, double rangeFraction, double areaFraction)
    {
        if (!double.IsFinite(misclassificationRate) || misclassificationRate < 0 || misclassificationRate > 1)
            throw new ArgumentOutOfRangeException(nameof(misclassificationRate), misclassificationRate, "w is a fraction in [0, 1].");
        Fraction(changedPixelFraction, nameof(changedPixelFraction));
        Fraction(rangeFraction, nameof(rangeFraction));
        Fraction(areaFraction, nameof(areaFraction));
        return misclassificationRate / (changedPixelFraction * rangeFraction * areaFraction);
    }

    /// <summary>The terms from counts, as the paper's worked example states them: w = <paramref name="misclassified"/> /
    /// <paramref name="images"/>, p = <paramref name="changedPixels"/> / <paramref name="imagePixels"/>, r =
    /// <paramref name="changeRangeGreyLevels"/> / 255 (the width of the values a changed pixel may take: 255 for "0-255"),
    /// a = <paramref name="areaPixels"/> / <paramref name="imagePixels"/>.</summary>
    /// <example>10,000 images of 224 × 224, 64 pixels, range 0-255, area 200 × 200, 1,000 wrong:
    /// <c>Terms(1000, 10000, 64, 255, 200 * 200, 224 * 224)</c> gives w = 10 %, p = 0.1276 %, r = 100 %, a = 79.72 %,
    /// Pi = 98.34 (the paper prints 98.30, having divided by the terms rounded to 0.1276 % and 79.72 %, which give 98.307).</example>
    public static PixelIndexTerms Terms(long misclassified, long images, int changedPixels, double changeRangeGreyLevels, long areaPixels, long imagePixels)
    {
        if (images < 1) throw new ArgumentOutOfRangeException(nameof(images), images, "At least one image is needed.");
        if (misclassified < 0 || misclassified > images) throw new ArgumentOutOfRangeException(nameof(misclassified), misclassified, $"Between 0 and the {images} images.");
        if (imagePixels < 1) throw new ArgumentOutOfRangeException(nameof(imagePixels), imagePixels, "An image has at least one pixel.");
        if (areaPixels < 1 || areaPixels > imagePixels) throw new ArgumentOutOfRangeException(nameof(areaPixels), areaPixels, $"The area holds 1 to {imagePixels} pixels (the image).");
        if (changedPixels < 1 || changedPixels > areaPixels) throw new ArgumentOutOfRangeException(nameof(changedPixels), changedPixels, $"Between 1 and the area's {areaPixels} pixels.");
        if (!double.IsFinite(changeRangeGreyLevels) || changeRangeGreyLevels <= 0 || changeRangeGreyLevels > 255)
            throw new ArgumentOutOfRangeException(nameof(changeRangeGreyLevels), changeRangeGreyLevels, "The change range is 1 to 255 grey levels wide.");
        return new PixelIndexTerms(misclassified / (double)images, changedPixels / (double)imagePixels, changeRangeGreyLevels / 255.0, areaPixels / (double)imagePixels);
    }

    /// <summary>The width in grey levels of the values a changed pixel may take, the r of the index times 255:
    /// 255 for <see cref="PixelChangeMode.Replace"/> (any level, "0-255"), 2·R (at most 255) for
    /// <see cref="PixelChangeMode.Offset"/> ±R (the interval [−R, R] around the old value; ±127 is then 254/255, about the
    /// full range, as the paper's ladder of ranges ends at ±127 before 0-255).</summary>
    public static double RangeGreyLevels(PixelChangeMode mode, int range) => mode switch
    {
        PixelChangeMode.Replace => 255,
        PixelChangeMode.Offset => Math.Min(2.0 * range, 255),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown pixel change mode."),
    };

    private static void Fraction(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0 || value > 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} is a fraction in (0, 1].");
    }
}
