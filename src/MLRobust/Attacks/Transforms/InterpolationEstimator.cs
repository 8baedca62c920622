using MLRobust.MLNet;
using Microsoft.ML;

namespace MLRobust.Attacks;

/// <summary>The estimator of <see cref="InterpolationTransformer"/> (learns nothing).</summary>
public sealed class InterpolationEstimator : FixedEstimator<InterpolationTransformer>
{
    internal InterpolationEstimator(RobustEnvironment env, InterpolationTransformer transformer) : base(transformer) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Transformer.GetOutputShape(inputSchema);
    }
}
