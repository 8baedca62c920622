using MLRobust.ML;

namespace MLRobust.Attacks;

/// <summary>The estimator of <see cref="InterpolationTransformer"/> (learns nothing).</summary>
public sealed class InterpolationEstimator : TrivialEstimator<InterpolationTransformer>
{
    internal InterpolationEstimator(IHostEnvironment env, InterpolationTransformer transformer) : base(env, transformer) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Transformer.GetOutputShape(inputSchema);
    }
}
