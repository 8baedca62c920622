using MLRobust.ML;

namespace MLRobust.Attacks;

/// <summary>The estimator of <see cref="AdversarialTransformer"/>: it learns nothing; <see cref="TrivialEstimator{T}.Fit"/>
/// checks the input columns and returns the transformer.</summary>
public sealed class AdversarialEstimator : TrivialEstimator<AdversarialTransformer>
{
    internal AdversarialEstimator(IHostEnvironment env, AdversarialTransformer transformer) : base(env, transformer) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Transformer.GetOutputShape(inputSchema);
    }
}
