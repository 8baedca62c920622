using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>
/// Runs single objects through a transformer: <c>Predict(example)</c> fills a <typeparamref name="TDst"/> from the
/// output columns of the same names. Not thread-safe; use one engine per thread.
/// </summary>
public sealed class PredictionEngine<TSrc, TDst> : IDisposable
    where TSrc : class
    where TDst : class, new()
{
    private readonly CurrentItem _source = new();
    private readonly IDataView _output;
    private readonly (MemberBinding Binding, DataViewSchema.Column Column)[] _outputs;
    private bool _disposed;

    internal PredictionEngine(IHostEnvironment env, ITransformer transformer, bool ignoreMissingColumns,
        SchemaDefinition? inputSchemaDefinition, SchemaDefinition? outputSchemaDefinition)
    {
        ArgumentNullException.ThrowIfNull(transformer);
        var input = new EnumerableDataView<TSrc>(_source, inputSchemaDefinition ?? SchemaDefinition.Create(typeof(TSrc), SchemaDefinition.Direction.Read));
        _output = transformer.Transform(input);
        OutputSchema = _output.Schema;
        var bindings = MemberBinding.For(typeof(TDst), outputSchemaDefinition ?? SchemaDefinition.Create(typeof(TDst), SchemaDefinition.Direction.Write));
        var outputs = new List<(MemberBinding, DataViewSchema.Column)>();
        foreach (var b in bindings)
        {
            var column = OutputSchema.GetColumnOrNull(b.ColumnName);
            if (column is null)
            {
                if (ignoreMissingColumns) continue;
                throw new SchemaMismatchException("transformer", "output", b.ColumnName);
            }
            if (!b.Accepts(column.Value.Type))
                throw new SchemaMismatchException("transformer", "output", b.ColumnName, $"{b.ColumnType} (member {typeof(TDst).Name}.{b.Member.Name})", column.Value.Type.ToString()!);
            outputs.Add((b, column.Value));
        }
        _outputs = outputs.ToArray();
    }

    public DataViewSchema OutputSchema { get; }

    public TDst Predict(TSrc example)
    {
        var result = new TDst();
        Predict(example, ref result);
        return result;
    }

    public void Predict(TSrc example, ref TDst prediction)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(example);
        prediction ??= new TDst();
        _source.Item = example;
        try
        {
            using var cursor = _output.GetRowCursor(_outputs.Select(o => o.Column));
            var fillers = _outputs.Select(o => o.Binding.MakeFiller(cursor, o.Column)).ToArray();
            if (!cursor.MoveNext()) throw new InvalidOperationException("The transformer dropped the example (a filter in the pipeline?).");
            foreach (var fill in fillers) fill(prediction);
        }
        finally
        {
            _source.Item = null;
        }
    }

    public void Dispose() => _disposed = true;

    // The one-row source the engine's pipeline reads: whatever example is being predicted.
    private sealed class CurrentItem : IEnumerable<TSrc>
    {
        public TSrc? Item { get; set; }

        public IEnumerator<TSrc> GetEnumerator()
        {
            yield return Item ?? throw new InvalidOperationException("No example is being predicted.");
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
