using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms.Image;

/// <summary>Resizes images (bilinear) to a fixed size: stretched (Fill), scaled to cover and cropped (IsoCrop), or scaled
/// to fit and padded with opaque black (IsoPad); the anchor says which part is kept or where the image sits.</summary>
[ModelComponent(LoaderSignature)]
public sealed class ImageResizingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ImageScalerTransform";
    private const int Version = 1;

    public ImageResizingTransformer(IHostEnvironment env, int imageWidth, int imageHeight, ImageResizingEstimator.ResizingKind resizing,
        ImageResizingEstimator.Anchor cropAnchor, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env, columns)
    {
        if (imageWidth <= 0) throw new ArgumentOutOfRangeException(nameof(imageWidth), imageWidth, "The width must be positive.");
        if (imageHeight <= 0) throw new ArgumentOutOfRangeException(nameof(imageHeight), imageHeight, "The height must be positive.");
        if (!Enum.IsDefined(resizing)) throw new ArgumentOutOfRangeException(nameof(resizing), resizing, "Unknown resizing kind.");
        if (!Enum.IsDefined(cropAnchor)) throw new ArgumentOutOfRangeException(nameof(cropAnchor), cropAnchor, "Unknown anchor.");
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
        Resizing = resizing;
        CropAnchor = cropAnchor;
    }

    public int ImageWidth { get; }
    public int ImageHeight { get; }
    public ImageResizingEstimator.ResizingKind Resizing { get; }
    public ImageResizingEstimator.Anchor CropAnchor { get; }

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input)
    {
        SchemaShapeChecks.Image(input);
        return new DataViewSchema.DetachedColumn(ColumnPairs[iinfo].outputColumnName, new ImageDataViewType(ImageHeight, ImageWidth));
    }

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        var images = input.GetGetter<MLImage>(inputColumn);
        var memo = new RowMemo<MLImage>(input, () =>
        {
            MLImage image = null!;
            images(ref image);
            if (image is null) throw new InvalidOperationException($"Column '{inputColumn.Name}', row {input.Position}: there is no image to resize.");
            var resized = image.Width == ImageWidth && image.Height == ImageHeight
                ? image
                : ImageResampler.Resize(image, ImageWidth, ImageHeight, Resizing, CropAnchor);
            resized.Tag ??= image.Tag;
            return resized;
        });
        return (ValueGetter<MLImage>)((ref MLImage dst) => dst = memo.Get());
    }

    private sealed record Parameters(ColumnPairParameters[] Columns, int Width, int Height, ImageResizingEstimator.ResizingKind Resizing, ImageResizingEstimator.Anchor Anchor);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(ColumnPairParameters.From(ColumnPairs), ImageWidth, ImageHeight, Resizing, CropAnchor));
    }

    private static ImageResizingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        try
        {
            return new ImageResizingTransformer(ctx.Environment, p.Width, p.Height, p.Resizing, p.Anchor, ColumnPairParameters.ToTuples(p.Columns, ctx));
        }
        catch (ArgumentException ex)
        {
            throw ctx.Error(ex.Message, ex);
        }
    }
}

/// <summary>Creates an <see cref="ImageResizingTransformer"/>; nothing to learn.</summary>
public sealed class ImageResizingEstimator : TrivialEstimator<ImageResizingTransformer>
{
    /// <summary>How the aspect ratio is handled.</summary>
    public enum ResizingKind : byte
    {
        /// <summary>Keep the aspect ratio; fit inside and pad.</summary>
        IsoPad = 0,
        /// <summary>Keep the aspect ratio; cover and crop.</summary>
        IsoCrop = 1,
        /// <summary>Stretch to the size.</summary>
        Fill = 2,
    }

    /// <summary>Which part of the image is kept when cropping (and where it sits when padding).</summary>
    public enum Anchor : byte
    {
        Right = 0,
        Left = 1,
        Top = 2,
        Bottom = 3,
        Center = 4,
    }

    public ImageResizingEstimator(IHostEnvironment env, string outputColumnName, int imageWidth, int imageHeight, string? inputColumnName = null,
        ResizingKind resizing = ResizingKind.IsoCrop, Anchor cropAnchor = Anchor.Center)
        : base(env, new ImageResizingTransformer(env, imageWidth, imageHeight, resizing, cropAnchor, (outputColumnName, inputColumnName ?? outputColumnName))) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var outputs = Transformer.ColumnPairs.Select(p =>
        {
            SchemaShapeChecks.Image(inputSchema, p.inputColumnName);
            return new SchemaShape.Column(p.outputColumnName, SchemaShape.Column.VectorKind.Scalar, new ImageDataViewType(Transformer.ImageHeight, Transformer.ImageWidth), false);
        }).ToArray();
        return inputSchema.With(outputs);
    }
}
