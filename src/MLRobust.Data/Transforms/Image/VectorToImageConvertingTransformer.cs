using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms.Image;

/// <summary>
/// Turns vectors of <c>planes x H x W</c> values (or <c>H x W x planes</c> when interleaved) back into images: each
/// pixel is <c>round(value * scale + offset)</c> clamped to [0, 255], so ExtractPixels(offset o, scale s) is undone by
/// scale 1/s, offset o. Missing channels take their default; a Gray plane gives a <see cref="MLPixelFormat.Gray8"/> image.
/// </summary>
[ModelComponent(LoaderSignature)]
public sealed class VectorToImageConvertingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "VectorToImageConverter";
    private const int Version = 1;

    private readonly PixelPlanes.Channel[] _planes;

    public VectorToImageConvertingTransformer(IHostEnvironment env, int imageHeight, int imageWidth, ImagePixelExtractingEstimator.ColorBits colorsPresent,
        ImagePixelExtractingEstimator.ColorsOrder orderOfColors, bool interleavedColors, float scaleImage, float offsetImage,
        int defaultAlpha, int defaultRed, int defaultGreen, int defaultBlue, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env, columns)
    {
        if (imageHeight <= 0) throw new ArgumentOutOfRangeException(nameof(imageHeight), imageHeight, "The height must be positive.");
        if (imageWidth <= 0) throw new ArgumentOutOfRangeException(nameof(imageWidth), imageWidth, "The width must be positive.");
        if (!float.IsFinite(scaleImage) || !float.IsFinite(offsetImage)) throw new ArgumentOutOfRangeException(nameof(scaleImage), "Scale and offset must be finite.");
        foreach (var (value, name) in new[] { (defaultAlpha, nameof(defaultAlpha)), (defaultRed, nameof(defaultRed)), (defaultGreen, nameof(defaultGreen)), (defaultBlue, nameof(defaultBlue)) })
            if (value is < 0 or > 255) throw new ArgumentOutOfRangeException(name, value, "Channel defaults are 0 to 255.");
        _planes = PixelPlanes.Of(colorsPresent, orderOfColors);
        ImageHeight = imageHeight;
        ImageWidth = imageWidth;
        ColorsPresent = colorsPresent;
        OrderOfColors = orderOfColors;
        InterleavedColors = interleavedColors;
        ScaleImage = scaleImage;
        OffsetImage = offsetImage;
        Defaults = (defaultAlpha, defaultRed, defaultGreen, defaultBlue);
    }

    public int ImageHeight { get; }
    public int ImageWidth { get; }
    public ImagePixelExtractingEstimator.ColorBits ColorsPresent { get; }
    public ImagePixelExtractingEstimator.ColorsOrder OrderOfColors { get; }
    public bool InterleavedColors { get; }
    public float ScaleImage { get; }
    public float OffsetImage { get; }
    public (int Alpha, int Red, int Green, int Blue) Defaults { get; }

    private int Size => ImageHeight * ImageWidth * _planes.Length;

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input)
    {
        if (input.Type is not VectorDataViewType v || v.ItemType is not NumberDataViewType || (v.IsKnownSize && v.Size != Size))
            throw new SchemaMismatchException("inputSchema", "input", input.Name, $"Vector<Single, {Size}> (or another number type)", input.Type.ToString()!);
        return new DataViewSchema.DetachedColumn(ColumnPairs[iinfo].outputColumnName, new ImageDataViewType(ImageHeight, ImageWidth));
    }

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        var method = typeof(VectorToImageConvertingTransformer).GetMethod(nameof(MakeGetterCore), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(((VectorDataViewType)inputColumn.Type).ItemType.RawType);
        return (Delegate)method.Invoke(this, new object[] { input, inputColumn })!;
    }

    private ValueGetter<MLImage> MakeGetterCore<T>(DataViewRow input, DataViewSchema.Column column)
    {
        var getter = input.GetGetter<VBuffer<T>>(column);
        var buffer = default(VBuffer<T>);
        var values = new double[Size];
        var memo = new RowMemo<MLImage>(input, () =>
        {
            getter(ref buffer);
            if (buffer.Length != Size)
                throw new InvalidOperationException($"Column '{column.Name}', row {input.Position}: {buffer.Length} values, but a {ImageHeight}x{ImageWidth} image of {_planes.Length} planes needs {Size}.");
            var i = 0;
            foreach (var v in buffer.DenseValues()) values[i++] = Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture);
            return Build(values);
        });
        return (ref MLImage dst) => dst = memo.Get();
    }

    private MLImage Build(double[] values)
    {
        var count = ImageHeight * ImageWidth;
        var gray = _planes.Contains(PixelPlanes.Channel.Gray) && !_planes.Contains(PixelPlanes.Channel.Alpha);
        var format = gray ? MLPixelFormat.Gray8 : MLPixelFormat.Rgba32;
        var bpp = gray ? 1 : 4;
        var pixels = new byte[count * bpp];
        if (!gray)
        {
            for (var i = 0; i < count; i++)
            {
                pixels[i * 4] = (byte)Defaults.Red;
                pixels[i * 4 + 1] = (byte)Defaults.Green;
                pixels[i * 4 + 2] = (byte)Defaults.Blue;
                pixels[i * 4 + 3] = (byte)Defaults.Alpha;
            }
        }
        for (var p = 0; p < _planes.Length; p++)
        {
            var stride = InterleavedColors ? _planes.Length : 1;
            var start = InterleavedColors ? p : p * count;
            var channel = _planes[p];
            for (int i = 0, v = start; i < count; i++, v += stride)
            {
                var b = (byte)Math.Clamp(Math.Round(values[v] * ScaleImage + OffsetImage, MidpointRounding.AwayFromZero), 0, 255);
                if (gray)
                {
                    pixels[i] = b;
                    continue;
                }
                switch (channel)
                {
                    case PixelPlanes.Channel.Red: pixels[i * 4] = b; break;
                    case PixelPlanes.Channel.Green: pixels[i * 4 + 1] = b; break;
                    case PixelPlanes.Channel.Blue: pixels[i * 4 + 2] = b; break;
                    case PixelPlanes.Channel.Alpha: pixels[i * 4 + 3] = b; break;
                    case PixelPlanes.Channel.Gray: pixels[i * 4] = pixels[i * 4 + 1] = pixels[i * 4 + 2] = b; break;
                }
            }
        }
        return MLImage.FromOwnedPixels(ImageWidth, ImageHeight, format, pixels);
    }

    private sealed record Parameters(ColumnPairParameters[] Columns, int Height, int Width, ImagePixelExtractingEstimator.ColorBits Colors,
        ImagePixelExtractingEstimator.ColorsOrder Order, bool Interleave, float Scale, float Offset, int[] Defaults);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(ColumnPairParameters.From(ColumnPairs), ImageHeight, ImageWidth, ColorsPresent, OrderOfColors, InterleavedColors,
            ScaleImage, OffsetImage, new[] { Defaults.Alpha, Defaults.Red, Defaults.Green, Defaults.Blue }));
    }

    private static VectorToImageConvertingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        if (p.Defaults is not { Length: 4 }) throw ctx.Error("the channel defaults are malformed");
        try
        {
            return new VectorToImageConvertingTransformer(ctx.Environment, p.Height, p.Width, p.Colors, p.Order, p.Interleave, p.Scale, p.Offset,
                p.Defaults[0], p.Defaults[1], p.Defaults[2], p.Defaults[3], ColumnPairParameters.ToTuples(p.Columns, ctx));
        }
        catch (ArgumentException ex)
        {
            throw ctx.Error(ex.Message, ex);
        }
    }
}

/// <summary>Creates a <see cref="VectorToImageConvertingTransformer"/>; nothing to learn.</summary>
public sealed class VectorToImageConvertingEstimator : TrivialEstimator<VectorToImageConvertingTransformer>
{
    public VectorToImageConvertingEstimator(IHostEnvironment env, int imageHeight, int imageWidth, string outputColumnName, string? inputColumnName = null,
        ImagePixelExtractingEstimator.ColorBits colorsPresent = ImagePixelExtractingEstimator.ColorBits.Rgb,
        ImagePixelExtractingEstimator.ColorsOrder orderOfColors = ImagePixelExtractingEstimator.ColorsOrder.ARGB, bool interleavedColors = false,
        float scaleImage = 1f, float offsetImage = 0f, int defaultAlpha = 255, int defaultRed = 0, int defaultGreen = 0, int defaultBlue = 0)
        : base(env, new VectorToImageConvertingTransformer(env, imageHeight, imageWidth, colorsPresent, orderOfColors, interleavedColors, scaleImage, offsetImage,
            defaultAlpha, defaultRed, defaultGreen, defaultBlue, (outputColumnName, inputColumnName ?? outputColumnName))) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var outputs = Transformer.ColumnPairs.Select(p =>
        {
            var input = SchemaMismatchException.FindColumn(inputSchema, p.inputColumnName);
            if (input.Kind == SchemaShape.Column.VectorKind.Scalar || input.IsKey || input.ItemType is not NumberDataViewType)
                throw new SchemaMismatchException(nameof(inputSchema), "input", p.inputColumnName, "Vector<Single>", input.GetTypeString());
            return new SchemaShape.Column(p.outputColumnName, SchemaShape.Column.VectorKind.Scalar, new ImageDataViewType(Transformer.ImageHeight, Transformer.ImageWidth), false);
        }).ToArray();
        return inputSchema.With(outputs);
    }
}
