namespace MLRobust.ML;

/// <summary>Estimators fitted one after the other, each on the output of the transformers before it.</summary>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>
    where TLastTransformer : class, ITransformer
{
    private readonly IEstimator<ITransformer>[] _estimators;
    private readonly TransformerScope[] _scopes;
    private readonly bool[] _needCacheAfter;
    private readonly IHostEnvironment? _cacheEnvironment;

    /// <summary>An empty chain; <see cref="Append{TNewTrans}"/> to it.</summary>
    public EstimatorChain()
        : this(Array.Empty<IEstimator<ITransformer>>(), Array.Empty<TransformerScope>(), Array.Empty<bool>(), null) { }

    private EstimatorChain(IEstimator<ITransformer>[] estimators, TransformerScope[] scopes, bool[] needCacheAfter, IHostEnvironment? cacheEnvironment)
    {
        _estimators = estimators;
        _scopes = scopes;
        _needCacheAfter = needCacheAfter;
        _cacheEnvironment = cacheEnvironment;
        LastEstimator = estimators.Length == 0 ? null! : (IEstimator<TLastTransformer>)estimators[^1];
    }

    /// <summary>The last estimator (null for an empty chain).</summary>
    public IEstimator<TLastTransformer> LastEstimator { get; }

    public IReadOnlyList<IEstimator<ITransformer>> Estimators => _estimators;

    public EstimatorChain<TNewTrans> Append<TNewTrans>(IEstimator<TNewTrans> estimator, TransformerScope scope = TransformerScope.Everything)
        where TNewTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new EstimatorChain<TNewTrans>(_estimators.Append(estimator).ToArray(), _scopes.Append(scope).ToArray(),
            _needCacheAfter.Append(false).ToArray(), _cacheEnvironment);
    }

    /// <summary>Caches the data at this point during <see cref="Fit"/>, so that estimators after it that read the
    /// data several times (trainers) do not recompute the transforms before it.</summary>
    public EstimatorChain<TLastTransformer> AppendCacheCheckpoint(IHostEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (_estimators.Length == 0) return this;
        var flags = (bool[])_needCacheAfter.Clone();
        flags[^1] = true;
        return new EstimatorChain<TLastTransformer>(_estimators, _scopes, flags, env);
    }

    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Check the whole chain's schema first, so a mistake at the end costs no training at the start.
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var current = input;
        var transformers = new ITransformer[_estimators.Length];
        for (var i = 0; i < _estimators.Length; i++)
        {
            _cacheEnvironment?.CheckAlive();
            var transformer = _estimators[i].Fit(current);
            transformers[i] = transformer;
            if (i < _estimators.Length - 1)
            {
                current = transformer.Transform(current);
                if (_needCacheAfter[i]) current = new CacheDataView(_cacheEnvironment!, current, Array.Empty<int>());
            }
        }
        return new TransformerChain<TLastTransformer>(transformers, _scopes);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var shape = inputSchema;
        foreach (var e in _estimators) shape = e.GetOutputSchema(shape);
        return shape;
    }
}
