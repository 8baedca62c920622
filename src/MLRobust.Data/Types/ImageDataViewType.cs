namespace MLRobust.ML.Data;

/// <summary>Images (<see cref="MLImage"/> values), of one known size or of any size (0 x 0).</summary>
public sealed class ImageDataViewType : StructuredDataViewType
{
    public ImageDataViewType(int height, int width) : base(typeof(MLImage))
    {
        if (height < 0 || width < 0 || (height == 0) != (width == 0))
            throw new ArgumentOutOfRangeException(nameof(height), $"Image size {height}x{width}: both must be positive, or both 0 for 'any size'.");
        Height = height;
        Width = width;
    }

    public ImageDataViewType() : this(0, 0) { }

    public int Height { get; }
    public int Width { get; }

    public bool IsKnownSize => Height > 0;

    public override bool Equals(DataViewType? other) => other is ImageDataViewType i && i.Height == Height && i.Width == Width;

    public override int GetHashCode() => HashCode.Combine(Height, Width);

    public override string ToString() => IsKnownSize ? $"Image<{Height}, {Width}>" : "Image";
}
