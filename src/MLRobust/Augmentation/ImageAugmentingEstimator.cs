using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Augmentation;

/// <summary>The estimator of <see cref="ImageAugmentingTransformer"/> (learns nothing).</summary>
public sealed class ImageAugmentingEstimator : FixedEstimator<ImageAugmentingTransformer>
{
    internal ImageAugmentingEstimator(RobustEnvironment env, ImageAugmentingTransformer transformer) : base(transformer) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var (output, input) = Transformer.ColumnPairs[0];
        Attacks.Transforms.ImageColumn.Check(inputSchema, input);
        return inputSchema.With(SchemaShapes.Column(output, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false));
    }
}
