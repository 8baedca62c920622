using MLRobust.ML.Transforms.Image;

namespace MLRobust.ML;

/// <summary>Image transforms on <c>mlContext.Transforms</c> (ML.NET's ImageAnalytics extensions, plus SaveImages).</summary>
public static class ImageEstimatorsCatalog
{
    /// <summary>Loads the images whose paths are in <paramref name="inputColumnName"/> (relative ones under <paramref name="imageFolder"/>).</summary>
    public static ImageLoadingEstimator LoadImages(this TransformsCatalog catalog, string outputColumnName, string? imageFolder, string? inputColumnName = null) =>
        new(CatalogUtils.GetEnvironment(catalog), imageFolder, (outputColumnName, inputColumnName ?? outputColumnName));

    /// <summary>Resizes images to <paramref name="imageWidth"/> x <paramref name="imageHeight"/> (bilinear).</summary>
    public static ImageResizingEstimator ResizeImages(this TransformsCatalog catalog, string outputColumnName, int imageWidth, int imageHeight,
        string? inputColumnName = null, ImageResizingEstimator.ResizingKind resizing = ImageResizingEstimator.ResizingKind.IsoCrop,
        ImageResizingEstimator.Anchor cropAnchor = ImageResizingEstimator.Anchor.Center) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, imageWidth, imageHeight, inputColumnName, resizing, cropAnchor);

    public static ImageGrayscalingEstimator ConvertToGrayscale(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null) =>
        new(CatalogUtils.GetEnvironment(catalog), (outputColumnName, inputColumnName ?? outputColumnName));

    /// <summary>Turns images into vectors of (pixel - <paramref name="offsetImage"/>) * <paramref name="scaleImage"/>, planar [planes, H, W] or interleaved [H, W, planes].</summary>
    public static ImagePixelExtractingEstimator ExtractPixels(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        ImagePixelExtractingEstimator.ColorBits colorsToExtract = ImagePixelExtractingEstimator.ColorBits.Rgb,
        ImagePixelExtractingEstimator.ColorsOrder orderOfExtraction = ImagePixelExtractingEstimator.ColorsOrder.ARGB,
        bool interleavePixelColors = false, float offsetImage = 0f, float scaleImage = 1f, bool outputAsFloatArray = true) =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, inputColumnName, colorsToExtract, orderOfExtraction, interleavePixelColors,
            offsetImage, scaleImage, outputAsFloatArray);

    /// <summary>Turns vectors back into images: pixel = round(value * <paramref name="scaleImage"/> + <paramref name="offsetImage"/>), clamped to [0, 255].</summary>
    public static VectorToImageConvertingEstimator ConvertToImage(this TransformsCatalog catalog, int imageHeight, int imageWidth, string outputColumnName,
        string? inputColumnName = null, ImagePixelExtractingEstimator.ColorBits colorsPresent = ImagePixelExtractingEstimator.ColorBits.Rgb,
        ImagePixelExtractingEstimator.ColorsOrder orderOfColors = ImagePixelExtractingEstimator.ColorsOrder.ARGB, bool interleavedColors = false,
        float scaleImage = 1f, float offsetImage = 0f, int defaultAlpha = 255, int defaultRed = 0, int defaultGreen = 0, int defaultBlue = 0) =>
        new(CatalogUtils.GetEnvironment(catalog), imageHeight, imageWidth, outputColumnName, inputColumnName, colorsPresent, orderOfColors, interleavedColors,
            scaleImage, offsetImage, defaultAlpha, defaultRed, defaultGreen, defaultBlue);

    /// <summary>Writes each row's image from <paramref name="inputColumnName"/> as a PNG into <paramref name="imageFolder"/> when
    /// <paramref name="outputColumnName"/> (the written path) is read.</summary>
    public static ImageSavingEstimator SaveImages(this TransformsCatalog catalog, string outputColumnName, string imageFolder, string inputColumnName,
        string? fileNameColumnName = null, string fileNamePrefix = "image_") =>
        new(CatalogUtils.GetEnvironment(catalog), outputColumnName, imageFolder, inputColumnName, fileNameColumnName, fileNamePrefix);
}
