using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms;

/// <summary>Learns the distinct values of columns and maps them to keys 1..N (0 for values it did not see).</summary>
public sealed class ValueToKeyMappingEstimator : IEstimator<ValueToKeyMappingTransformer>
{
    public enum KeyOrdinality : byte
    {
        /// <summary>Keys in the order values first occur.</summary>
        ByOccurrence = 0,
        /// <summary>Keys in sorted value order.</summary>
        ByValue = 1,
    }

    internal static class Defaults
    {
        public const int MaximumNumberOfKeys = 1000000;
        public const KeyOrdinality Ordinality = KeyOrdinality.ByOccurrence;
        public const bool AddKeyValueAnnotationsAsText = false;
    }

    private readonly IHostEnvironment _env;
    private readonly (string outputColumnName, string inputColumnName)[] _columns;
    private readonly int _maximumNumberOfKeys;
    private readonly KeyOrdinality _ordinality;
    private readonly bool _annotationsAsText;
    private readonly IDataView? _keyData;

    public ValueToKeyMappingEstimator(IHostEnvironment env, (string outputColumnName, string inputColumnName)[] columns,
        int maximumNumberOfKeys = Defaults.MaximumNumberOfKeys, KeyOrdinality keyOrdinality = Defaults.Ordinality,
        bool addKeyValueAnnotationsAsText = Defaults.AddKeyValueAnnotationsAsText, IDataView? keyData = null)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _columns = columns ?? throw new ArgumentNullException(nameof(columns));
        if (columns.Length == 0) throw new ArgumentException("Give at least one column.", nameof(columns));
        if (maximumNumberOfKeys < 1) throw new ArgumentOutOfRangeException(nameof(maximumNumberOfKeys), maximumNumberOfKeys, "Must be at least 1.");
        _maximumNumberOfKeys = maximumNumberOfKeys;
        _ordinality = keyOrdinality;
        _annotationsAsText = addKeyValueAnnotationsAsText;
        _keyData = keyData;
    }

    public ValueToKeyMappingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var terms = new KeyTerms[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
        {
            var source = _keyData ?? input;
            var column = SchemaMismatchException.FindColumn(source.Schema, _columns[i].inputColumnName, _keyData is null ? "input" : "key data", nameof(input));
            var item = ValueToKeyMappingTransformer.CheckItemType(column);
            terms[i] = KeyTerms.Create(item);
            terms[i].Collect(source, column, _maximumNumberOfKeys);
            if (terms[i].Count == 0) throw new InvalidOperationException($"Column '{column.Name}' has no values to map to keys.");
            if (_ordinality == KeyOrdinality.ByValue) terms[i].SortByValue();
            _env.Info(nameof(ValueToKeyMappingEstimator), $"Column '{_columns[i].outputColumnName}': {terms[i].Count} keys.");
        }
        return new ValueToKeyMappingTransformer(_env, _columns, terms, _annotationsAsText);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var outputs = new List<SchemaShape.Column>();
        foreach (var (output, inputName) in _columns)
        {
            var input = SchemaMismatchException.FindColumn(inputSchema, inputName);
            if (input.IsKey || !(input.ItemType is TextDataViewType or NumberDataViewType or BooleanDataViewType))
                throw new SchemaMismatchException(nameof(inputSchema), "input", inputName, "text, number or Boolean (scalar or vector)", input.GetTypeString());
            var annotations = new SchemaShape(new[] { new SchemaShape.Column(AnnotationUtils.Kinds.KeyValues, SchemaShape.Column.VectorKind.Vector,
                _annotationsAsText ? TextDataViewType.Instance : input.ItemType, false) });
            outputs.Add(new SchemaShape.Column(output, input.Kind, NumberDataViewType.UInt32, true, annotations));
        }
        return inputSchema.With(outputs.ToArray());
    }
}
