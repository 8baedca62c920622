using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLRobust.Rendering.Images;

namespace MLRobust.ImageData;

/// <summary>
/// Reads an image column as the grey pixel values MLRobust's networks take. Two forms are accepted: a known-size Single
/// vector (ExtractPixels' output, or the rendered scenes' columns), read as it is; or an <see cref="MLImage"/> column of
/// known size (ML.NET's LoadImages + ResizeImages), read as luma / 255, values in [0, 1] — what ExtractPixels after
/// ConvertToGrayscale gives with <c>scaleImage: 1f / 255</c>, up to the grey formula (ITU-R 601 luma here).
/// </summary>
internal static class PixelColumn
{
    /// <summary>The side of a square MLImage column of known size, or null for other types.</summary>
    public static int? SquareImageSide(DataViewType type) =>
        type is ImageDataViewType { Height: var h, Width: var w } && h == w && h > 0 ? h : null;

    /// <summary>A getter of the column's pixels as a Single vector, whichever of the two forms it has.</summary>
    public static ValueGetter<VBuffer<float>> Getter(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is not ImageDataViewType type) return row.GetGetter<VBuffer<float>>(column);
        var images = row.GetGetter<MLImage>(column);
        MLImage? image = null;
        return (ref VBuffer<float> value) =>
        {
            images(ref image!);
            if (image is null) throw new InvalidOperationException($"Column '{column.Name}', row {row.Position}: no image (the file could not be loaded).");
            if (type.Height > 0 && (image.Height != type.Height || image.Width != type.Width))
                throw new InvalidOperationException($"Column '{column.Name}', row {row.Position}: a {image.Width}x{image.Height} image in a {type.Width}x{type.Height} column.");
            var luma = ImageFiles.Luma(image);
            var editor = VBufferEditor.Create(ref value, luma.Length);
            for (var i = 0; i < luma.Length; i++) editor.Values[i] = luma[i] / 255f;
            value = editor.Commit();
        };
    }
}
