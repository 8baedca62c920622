namespace MLRobust.ML;

/// <summary>
/// An estimator that learns nothing: <see cref="Fit"/> checks the input schema and returns its transformer.
/// Public (ML.NET's is not) so that other assemblies can build transforms the same way.
/// </summary>
public abstract class TrivialEstimator<TTransformer> : IEstimator<TTransformer> where TTransformer : class, ITransformer
{
    protected TrivialEstimator(IHostEnvironment env, TTransformer transformer)
    {
        Environment = env ?? throw new ArgumentNullException(nameof(env));
        Transformer = transformer ?? throw new ArgumentNullException(nameof(transformer));
    }

    protected IHostEnvironment Environment { get; }

    protected TTransformer Transformer { get; }

    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShape.Create(input.Schema));
        Transformer.GetOutputSchema(input.Schema);
        return Transformer;
    }

    public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
