using System.Collections;

namespace MLRobust.ML;

/// <summary>Transformers applied one after the other; the result of <see cref="EstimatorChain{TLastTransformer}.Fit"/>.</summary>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>, IDisposable
    where TLastTransformer : class, ITransformer
{
    internal const string LoaderSignature = TransformerChainLoader.LoaderSignature;

    private readonly ITransformer[] _transformers;
    private readonly TransformerScope[] _scopes;

    public TransformerChain(params ITransformer[] transformers)
        : this(transformers, transformers?.Select(_ => TransformerScope.Everything) ?? Enumerable.Empty<TransformerScope>()) { }

    public TransformerChain(IEnumerable<ITransformer> transformers, IEnumerable<TransformerScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        ArgumentNullException.ThrowIfNull(scopes);
        _transformers = transformers.ToArray();
        _scopes = scopes.ToArray();
        if (_transformers.Any(t => t is null)) throw new ArgumentException("A transformer chain can't hold null.", nameof(transformers));
        if (_transformers.Length != _scopes.Length) throw new ArgumentException("Each transformer needs one scope.", nameof(scopes));
        if (_transformers.Length == 0)
        {
            LastTransformer = null!;
        }
        else
        {
            LastTransformer = _transformers[^1] as TLastTransformer
                ?? throw new ArgumentException($"The last transformer is a {_transformers[^1].GetType().Name}, not a {typeof(TLastTransformer).Name}.", nameof(transformers));
        }
    }

    /// <summary>The last transformer (null for an empty chain).</summary>
    public TLastTransformer LastTransformer { get; }

    public IReadOnlyList<TransformerScope> Scopes => _scopes;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = inputSchema;
        foreach (var t in _transformers) schema = t.GetOutputSchema(schema);
        return schema;
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Fail before any work when the schema does not fit.
        GetOutputSchema(input.Schema);
        var data = input;
        foreach (var t in _transformers) data = t.Transform(data);
        return data;
    }

    /// <summary>The transformers whose scope includes <paramref name="scopeFilter"/>.</summary>
    public TransformerChain<ITransformer> GetModelFor(TransformerScope scopeFilter)
    {
        var keep = Enumerable.Range(0, _transformers.Length).Where(i => (_scopes[i] & scopeFilter) != 0).ToArray();
        return new TransformerChain<ITransformer>(keep.Select(i => _transformers[i]), keep.Select(i => _scopes[i]));
    }

    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer, TransformerScope scope = TransformerScope.Everything)
        where TNewLast : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new TransformerChain<TNewLast>(_transformers.Append(transformer), _scopes.Append(scope));
    }

    public void Save(ModelSaveContext ctx) => TransformerChainLoader.Save(ctx, _transformers, _scopes);

    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)_transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var t in _transformers) (t as IDisposable)?.Dispose();
    }
}
