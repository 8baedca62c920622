namespace MLRobust.ML;

/// <summary>ML.NET's <c>Append</c> on single estimators and transformers.</summary>
public static class EstimatorExtensions
{
    /// <summary>Starts a chain: <paramref name="start"/>, then <paramref name="estimator"/>.</summary>
    public static EstimatorChain<TTrans> Append<TTrans>(this IEstimator<ITransformer> start, IEstimator<TTrans> estimator,
        TransformerScope scope = TransformerScope.Everything) where TTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(estimator);
        return new EstimatorChain<ITransformer>().Append(start).Append(estimator, scope);
    }

    public static TransformerChain<TTrans> Append<TTrans>(this ITransformer start, TTrans transformer) where TTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(transformer);
        return new TransformerChain<TTrans>(start, transformer);
    }

    /// <summary>Caches the data after <paramref name="start"/> while fitting the chain.</summary>
    public static EstimatorChain<TTrans> AppendCacheCheckpoint<TTrans>(this IEstimator<TTrans> start, IHostEnvironment env)
        where TTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(start);
        var chain = start as EstimatorChain<TTrans> ?? new EstimatorChain<ITransformer>().Append(start);
        return chain.AppendCacheCheckpoint(env);
    }
}
