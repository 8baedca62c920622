using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms.Image;

/// <summary>Converts images to greyscale (<see cref="MLPixelFormat.Gray8"/>, L = 0.299 R + 0.587 G + 0.114 B as PIL
/// rounds it); the size is unchanged.</summary>
[ModelComponent(LoaderSignature)]
public sealed class ImageGrayscalingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ImageGrayscaleTransform";
    private const int Version = 1;

    public ImageGrayscalingTransformer(IHostEnvironment env, params (string outputColumnName, string inputColumnName)[] columns) : base(env, columns) { }

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input) =>
        new(ColumnPairs[iinfo].outputColumnName, SchemaShapeChecks.Image(input));

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        var images = input.GetGetter<MLImage>(inputColumn);
        var memo = new RowMemo<MLImage>(input, () =>
        {
            MLImage image = null!;
            images(ref image);
            if (image is null) throw new InvalidOperationException($"Column '{inputColumn.Name}', row {input.Position}: there is no image to convert.");
            return image.PixelFormat == MLPixelFormat.Gray8 ? image : image.ToGray8();
        });
        return (ValueGetter<MLImage>)((ref MLImage dst) => dst = memo.Get());
    }

    private sealed record Parameters(ColumnPairParameters[] Columns);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(ColumnPairParameters.From(ColumnPairs)));
    }

    private static ImageGrayscalingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        return new ImageGrayscalingTransformer(ctx.Environment, ColumnPairParameters.ToTuples(ctx.LoadParameters<Parameters>().Columns, ctx));
    }
}

/// <summary>Creates an <see cref="ImageGrayscalingTransformer"/>; nothing to learn.</summary>
public sealed class ImageGrayscalingEstimator : TrivialEstimator<ImageGrayscalingTransformer>
{
    public ImageGrayscalingEstimator(IHostEnvironment env, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env, new ImageGrayscalingTransformer(env, columns)) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var outputs = Transformer.ColumnPairs.Select(p =>
        {
            var input = SchemaShapeChecks.Image(inputSchema, p.inputColumnName);
            return new SchemaShape.Column(p.outputColumnName, SchemaShape.Column.VectorKind.Scalar, input.ItemType, false);
        }).ToArray();
        return inputSchema.With(outputs);
    }
}
