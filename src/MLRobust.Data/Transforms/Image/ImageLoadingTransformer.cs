using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms.Image;

/// <summary>Loads images (PNG, JPEG) from the paths in text columns; relative paths are taken from <see cref="ImageFolder"/>.
/// A file that is missing, corrupt or not an image fails with an error naming it.</summary>
[ModelComponent(LoaderSignature)]
public sealed class ImageLoadingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ImageLoaderTransform";
    private const int Version = 1;

    public ImageLoadingTransformer(IHostEnvironment env, string? imageFolder, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env, columns)
    {
        ImageFolder = imageFolder;
    }

    public string? ImageFolder { get; }

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input)
    {
        if (input.Type is not TextDataViewType)
            throw new SchemaMismatchException("inputSchema", "input", input.Name, TextDataViewType.Instance.ToString(), input.Type.ToString()!);
        return new DataViewSchema.DetachedColumn(ColumnPairs[iinfo].outputColumnName, new ImageDataViewType());
    }

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        var paths = input.GetGetter<ReadOnlyMemory<char>>(inputColumn);
        var memo = new RowMemo<MLImage>(input, () =>
        {
            ReadOnlyMemory<char> path = default;
            paths(ref path);
            var text = path.ToString();
            if (text.Length == 0) throw new InvalidDataException($"Column '{inputColumn.Name}', row {input.Position}: the image path is empty.");
            var full = ImageFolder is null || Path.IsPathRooted(text) ? text : Path.Combine(ImageFolder, text);
            return MLImage.CreateFromFile(full);
        });
        return (ValueGetter<MLImage>)((ref MLImage dst) => dst = memo.Get());
    }

    private sealed record Parameters(ColumnPairParameters[] Columns, string? ImageFolder);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(ColumnPairParameters.From(ColumnPairs), ImageFolder));
    }

    private static ImageLoadingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        return new ImageLoadingTransformer(ctx.Environment, p.ImageFolder, ColumnPairParameters.ToTuples(p.Columns, ctx));
    }
}

/// <summary>Creates an <see cref="ImageLoadingTransformer"/>; nothing to learn.</summary>
public sealed class ImageLoadingEstimator : TrivialEstimator<ImageLoadingTransformer>
{
    public ImageLoadingEstimator(IHostEnvironment env, string? imageFolder, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env, new ImageLoadingTransformer(env, imageFolder, columns)) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var outputs = Transformer.ColumnPairs.Select(p =>
        {
            SchemaShapeChecks.ScalarOfType(inputSchema, p.inputColumnName, TextDataViewType.Instance, TextDataViewType.Instance.ToString());
            return new SchemaShape.Column(p.outputColumnName, SchemaShape.Column.VectorKind.Scalar, new ImageDataViewType(), false);
        }).ToArray();
        return inputSchema.With(outputs);
    }
}
