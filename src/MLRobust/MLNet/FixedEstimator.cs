using Microsoft.ML;

namespace MLRobust.MLNet;

/// <summary>
/// An estimator that learns nothing: <see cref="Fit"/> checks the input schema and returns its transformer (ML.NET's
/// own TrivialEstimator has a constructor only ML.NET can call).
/// </summary>
public abstract class FixedEstimator<TTransformer> : IEstimator<TTransformer> where TTransformer : class, ITransformer
{
    private protected FixedEstimator(TTransformer transformer) =>
        Transformer = transformer ?? throw new ArgumentNullException(nameof(transformer));

    /// <summary>The transformer <see cref="Fit"/> returns.</summary>
    protected TTransformer Transformer { get; }

    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShapes.FromSchema(input.Schema));
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
