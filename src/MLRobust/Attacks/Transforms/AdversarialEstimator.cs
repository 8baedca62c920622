using MLRobust.MLNet;
using Microsoft.ML;

namespace MLRobust.Attacks;

/// <summary>The estimator of <see cref="AdversarialTransformer"/>: it learns nothing; <see cref="FixedEstimator{T}.Fit"/>
/// checks the input columns and returns the transformer.</summary>
public sealed class AdversarialEstimator : FixedEstimator<AdversarialTransformer>
{
    internal AdversarialEstimator(RobustEnvironment env, AdversarialTransformer transformer) : base(transformer) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Transformer.GetOutputShape(inputSchema);
    }
}
