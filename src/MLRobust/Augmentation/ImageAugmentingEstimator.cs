using MLRobust.ML;
using MLRobust.ML.Data;

namespace MLRobust.Augmentation;

/// <summary>The estimator of <see cref="ImageAugmentingTransformer"/> (learns nothing).</summary>
public sealed class ImageAugmentingEstimator : TrivialEstimator<ImageAugmentingTransformer>
{
    internal ImageAugmentingEstimator(IHostEnvironment env, ImageAugmentingTransformer transformer) : base(env, transformer) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var (output, input) = Transformer.ColumnPairs[0];
        Attacks.Transforms.ImageColumn.Check(inputSchema, input);
        return inputSchema.With(new SchemaShape.Column(output, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false));
    }
}
