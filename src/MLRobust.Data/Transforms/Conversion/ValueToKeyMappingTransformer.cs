using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms;

/// <summary>Maps values to keys with dictionaries learned by <see cref="ValueToKeyMappingEstimator"/>; the output
/// carries the dictionary as its KeyValues annotation.</summary>
[ModelComponent(LoaderSignature)]
public sealed class ValueToKeyMappingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ValueToKeyMappingTransformer";
    private const int Version = 1;

    private readonly KeyTerms[] _terms;
    private readonly bool _annotationsAsText;

    internal ValueToKeyMappingTransformer(IHostEnvironment env, (string outputColumnName, string inputColumnName)[] columns, KeyTerms[] terms, bool annotationsAsText)
        : base(env, columns)
    {
        _terms = terms;
        _annotationsAsText = annotationsAsText;
    }

    /// <summary>The number of keys of each column pair.</summary>
    public IReadOnlyList<int> KeyCounts => _terms.Select(t => t.Count).ToArray();

    internal static PrimitiveDataViewType CheckItemType(DataViewSchema.Column column)
    {
        var item = column.Type.GetItemType();
        if (item is KeyDataViewType || !(item is TextDataViewType or NumberDataViewType or BooleanDataViewType))
            throw new SchemaMismatchException("inputSchema", "input", column.Name, "text, number or Boolean (scalar or vector)", column.Type.ToString()!);
        return (PrimitiveDataViewType)item;
    }

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input)
    {
        var item = CheckItemType(input);
        if (!item.Equals(_terms[iinfo].ItemType))
            throw new SchemaMismatchException("inputSchema", "input", input.Name, _terms[iinfo].ItemType.ToString()!, input.Type.ToString()!);
        var key = new KeyDataViewType(typeof(uint), _terms[iinfo].Count);
        DataViewType type = input.Type is VectorDataViewType v ? new VectorDataViewType(key, v.Dimensions) : key;
        return new DataViewSchema.DetachedColumn(ColumnPairs[iinfo].outputColumnName, type, _terms[iinfo].MakeAnnotations(_annotationsAsText));
    }

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        return _terms[iinfo].MakeKeyGetter(input, inputColumn);
    }

    // *** Format ***
    // parameters.json: { Columns: [{ Output, Input, ItemType (DataKind), Terms: [invariant text] }], AnnotationsAsText }
    private sealed record ColumnParameters(string Output, string Input, DataKind ItemType, string[] Terms);
    private sealed record Parameters(ColumnParameters[] Columns, bool AnnotationsAsText);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(
            ColumnPairs.Select((p, i) => new ColumnParameters(p.outputColumnName, p.inputColumnName, DataKindExtensions.FromRawType(_terms[i].ItemType.RawType), _terms[i].ToText())).ToArray(),
            _annotationsAsText));
    }

    private static ValueToKeyMappingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        if (p.Columns is null || p.Columns.Length == 0) throw ctx.Error("no columns");
        var terms = new KeyTerms[p.Columns.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            var c = p.Columns[i];
            if (c?.Terms is null || c.Terms.Length == 0 || string.IsNullOrEmpty(c.Output) || string.IsNullOrEmpty(c.Input)) throw ctx.Error($"column {i} is malformed");
            terms[i] = KeyTerms.Create(c.ItemType.ToDataViewType());
            try
            {
                terms[i].AddFromText(c.Terms);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException)
            {
                throw ctx.Error($"column '{c.Output}' has an invalid key value: {ex.Message}", ex);
            }
        }
        return new ValueToKeyMappingTransformer(ctx.Environment, p.Columns.Select(c => (c.Output, c.Input)).ToArray(), terms, p.AnnotationsAsText);
    }
}
