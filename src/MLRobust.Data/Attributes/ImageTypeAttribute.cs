namespace MLRobust.ML.Data;

/// <summary>Declares the size of an <see cref="MLImage"/> member's image column.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ImageTypeAttribute : Attribute
{
    public ImageTypeAttribute(int height, int width)
    {
        if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), "The image height must be positive.");
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), "The image width must be positive.");
        Height = height;
        Width = width;
    }

    public int Height { get; }
    public int Width { get; }
}
