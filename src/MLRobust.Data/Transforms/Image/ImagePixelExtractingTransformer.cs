using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms.Image;

/// <summary>
/// Turns images of a known size into vectors: for each chosen channel a plane of H x W values
/// (<c>[planes, H, W]</c>, or <c>[H, W, planes]</c> when interleaved), each value <c>(pixel - offset) * scale</c>.
/// Grey images read as R = G = B = grey with opaque alpha.
/// </summary>
[ModelComponent(LoaderSignature)]
public sealed class ImagePixelExtractingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ImagePixelExtractor";
    private const int Version = 1;

    private readonly PixelPlanes.Channel[] _planes;

    public ImagePixelExtractingTransformer(IHostEnvironment env, ImagePixelExtractingEstimator.ColorBits colorsToExtract,
        ImagePixelExtractingEstimator.ColorsOrder orderOfExtraction, bool interleavePixelColors, float offsetImage, float scaleImage,
        bool outputAsFloatArray, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env, columns)
    {
        _planes = PixelPlanes.Of(colorsToExtract, orderOfExtraction);
        if (!float.IsFinite(offsetImage)) throw new ArgumentOutOfRangeException(nameof(offsetImage), offsetImage, "The offset must be finite.");
        if (!float.IsFinite(scaleImage) || scaleImage == 0) throw new ArgumentOutOfRangeException(nameof(scaleImage), scaleImage, "The scale must be finite and non-zero.");
        if (!outputAsFloatArray && (offsetImage != 0 || scaleImage != 1))
            throw new ArgumentException("Byte output can't apply an offset or scale; use outputAsFloatArray: true.", nameof(outputAsFloatArray));
        ColorsToExtract = colorsToExtract;
        OrderOfExtraction = orderOfExtraction;
        InterleavePixelColors = interleavePixelColors;
        OffsetImage = offsetImage;
        ScaleImage = scaleImage;
        OutputAsFloatArray = outputAsFloatArray;
    }

    public ImagePixelExtractingEstimator.ColorBits ColorsToExtract { get; }
    public ImagePixelExtractingEstimator.ColorsOrder OrderOfExtraction { get; }
    public bool InterleavePixelColors { get; }
    public float OffsetImage { get; }
    public float ScaleImage { get; }
    public bool OutputAsFloatArray { get; }

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input)
    {
        var image = SchemaShapeChecks.Image(input);
        if (!image.IsKnownSize)
            throw new SchemaMismatchException("inputSchema", "input", input.Name, "Image of known size (add ResizeImages first)", image.ToString());
        var item = OutputAsFloatArray ? NumberDataViewType.Single : NumberDataViewType.Byte;
        var dims = InterleavePixelColors ? new[] { image.Height, image.Width, _planes.Length } : new[] { _planes.Length, image.Height, image.Width };
        return new DataViewSchema.DetachedColumn(ColumnPairs[iinfo].outputColumnName, new VectorDataViewType(item, dims));
    }

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        var type = (ImageDataViewType)inputColumn.Type;
        var images = input.GetGetter<MLImage>(inputColumn);
        MLImage Read()
        {
            MLImage image = null!;
            images(ref image);
            if (image is null) throw new InvalidOperationException($"Column '{inputColumn.Name}', row {input.Position}: there is no image.");
            if (image.Width != type.Width || image.Height != type.Height)
                throw new InvalidOperationException($"Column '{inputColumn.Name}', row {input.Position}: the image is {image.Width}x{image.Height} but the column type is {type} (height, width).");
            return image;
        }
        if (OutputAsFloatArray)
        {
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> dst) =>
            {
                var image = Read();
                var editor = VBufferEditor.Create(ref dst, image.Width * image.Height * _planes.Length);
                Extract(image, editor.Values, OffsetImage, ScaleImage);
                dst = editor.Commit();
            });
        }
        return (ValueGetter<VBuffer<byte>>)((ref VBuffer<byte> dst) =>
        {
            var image = Read();
            var editor = VBufferEditor.Create(ref dst, image.Width * image.Height * _planes.Length);
            Extract(image, editor.Values);
            dst = editor.Commit();
        });
    }

    private void Extract(MLImage image, Span<float> output, float offset, float scale)
    {
        var pixels = image.Pixels;
        var count = image.Width * image.Height;
        var planes = _planes.Length;
        var stride = InterleavePixelColors ? planes : 1;
        Span<byte> gray = image.PixelFormat != MLPixelFormat.Gray8 && _planes.Contains(PixelPlanes.Channel.Gray) ? new byte[count] : default;
        if (gray.Length > 0) Luma(image, gray);
        for (var p = 0; p < planes; p++)
        {
            var o = InterleavePixelColors ? p : p * count;
            var source = Source(image, _planes[p], gray);
            if (source.Offset < 0)
            {
                var value = (255 - offset) * scale;
                for (var i = 0; i < count; i++, o += stride) output[o] = value;
                continue;
            }
            var bytes = source.Bytes;
            var step = source.Step;
            for (int i = 0, s = source.Offset; i < count; i++, o += stride, s += step) output[o] = (bytes[s] - offset) * scale;
        }
    }

    private void Extract(MLImage image, Span<byte> output)
    {
        var count = image.Width * image.Height;
        var planes = _planes.Length;
        var stride = InterleavePixelColors ? planes : 1;
        Span<byte> gray = image.PixelFormat != MLPixelFormat.Gray8 && _planes.Contains(PixelPlanes.Channel.Gray) ? new byte[count] : default;
        if (gray.Length > 0) Luma(image, gray);
        for (var p = 0; p < planes; p++)
        {
            var o = InterleavePixelColors ? p : p * count;
            var source = Source(image, _planes[p], gray);
            if (source.Offset < 0)
            {
                for (var i = 0; i < count; i++, o += stride) output[o] = 255;
                continue;
            }
            var bytes = source.Bytes;
            var step = source.Step;
            for (int i = 0, s = source.Offset; i < count; i++, o += stride, s += step) output[o] = bytes[s];
        }
    }

    // Where a channel's bytes are: a buffer, the first byte's index and the step between pixels (offset -1: constant 255).
    private ref struct ChannelSource
    {
        public ReadOnlySpan<byte> Bytes;
        public int Offset;
        public int Step;
    }

    private static ChannelSource Source(MLImage image, PixelPlanes.Channel channel, ReadOnlySpan<byte> gray)
    {
        var (r, g, b, a) = PixelPlanes.Offsets(image.PixelFormat);
        var bpp = MLImage.BytesPerPixel(image.PixelFormat);
        return channel switch
        {
            PixelPlanes.Channel.Red => new ChannelSource { Bytes = image.Pixels, Offset = r, Step = bpp },
            PixelPlanes.Channel.Green => new ChannelSource { Bytes = image.Pixels, Offset = g, Step = bpp },
            PixelPlanes.Channel.Blue => new ChannelSource { Bytes = image.Pixels, Offset = b, Step = bpp },
            PixelPlanes.Channel.Alpha => new ChannelSource { Bytes = image.Pixels, Offset = a, Step = bpp },
            _ => image.PixelFormat == MLPixelFormat.Gray8
                ? new ChannelSource { Bytes = image.Pixels, Offset = 0, Step = 1 }
                : new ChannelSource { Bytes = gray, Offset = 0, Step = 1 },
        };
    }

    private static void Luma(MLImage image, Span<byte> gray)
    {
        var (r, g, b, _) = PixelPlanes.Offsets(image.PixelFormat);
        var pixels = image.Pixels;
        for (int i = 0, s = 0; i < gray.Length; i++, s += 4) gray[i] = MLImage.Luma(pixels[s + r], pixels[s + g], pixels[s + b]);
    }

    private sealed record Parameters(ColumnPairParameters[] Columns, ImagePixelExtractingEstimator.ColorBits Colors, ImagePixelExtractingEstimator.ColorsOrder Order,
        bool Interleave, float Offset, float Scale, bool AsFloat);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(ColumnPairParameters.From(ColumnPairs), ColorsToExtract, OrderOfExtraction, InterleavePixelColors, OffsetImage, ScaleImage, OutputAsFloatArray));
    }

    private static ImagePixelExtractingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        try
        {
            return new ImagePixelExtractingTransformer(ctx.Environment, p.Colors, p.Order, p.Interleave, p.Offset, p.Scale, p.AsFloat, ColumnPairParameters.ToTuples(p.Columns, ctx));
        }
        catch (ArgumentException ex)
        {
            throw ctx.Error(ex.Message, ex);
        }
    }
}

/// <summary>Creates an <see cref="ImagePixelExtractingTransformer"/>; nothing to learn.</summary>
public sealed class ImagePixelExtractingEstimator : TrivialEstimator<ImagePixelExtractingTransformer>
{
    /// <summary>The channels to extract. <see cref="Gray"/> (an MLRobust addition) extracts one luminance plane.</summary>
    [Flags]
    public enum ColorBits : byte
    {
        Alpha = 0x01,
        Red = 0x02,
        Green = 0x04,
        Blue = 0x08,
        Rgb = Red | Green | Blue,
        All = Alpha | Red | Green | Blue,
        Gray = 0x10,
    }

    /// <summary>The order of the planes.</summary>
    public enum ColorsOrder : byte
    {
        ARGB = 1,
        ARBG = 2,
        ABRG = 3,
        ABGR = 4,
        AGRB = 5,
        AGBR = 6,
    }

    public ImagePixelExtractingEstimator(IHostEnvironment env, string outputColumnName, string? inputColumnName = null,
        ColorBits colorsToExtract = ColorBits.Rgb, ColorsOrder orderOfExtraction = ColorsOrder.ARGB, bool interleavePixelColors = false,
        float offsetImage = 0f, float scaleImage = 1f, bool outputAsFloatArray = true)
        : base(env, new ImagePixelExtractingTransformer(env, colorsToExtract, orderOfExtraction, interleavePixelColors, offsetImage, scaleImage,
            outputAsFloatArray, (outputColumnName, inputColumnName ?? outputColumnName))) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var outputs = Transformer.ColumnPairs.Select(p =>
        {
            var input = SchemaShapeChecks.Image(inputSchema, p.inputColumnName);
            if (input.ItemType is ImageDataViewType { IsKnownSize: false } image)
                throw new SchemaMismatchException(nameof(inputSchema), "input", p.inputColumnName, "Image of known size (add ResizeImages first)", image.ToString());
            return new SchemaShape.Column(p.outputColumnName, SchemaShape.Column.VectorKind.Vector,
                Transformer.OutputAsFloatArray ? NumberDataViewType.Single : NumberDataViewType.Byte, false);
        }).ToArray();
        return inputSchema.With(outputs);
    }
}
