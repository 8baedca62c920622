using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms;

/// <summary>Maps keys back to the values of their KeyValues annotation (key 0 or unknown keys give the default value:
/// NaN for floating point, empty text, 0, false).</summary>
[ModelComponent(LoaderSignature)]
public sealed class KeyToValueMappingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "KeyToValueTransform";
    private const int Version = 1;

    public KeyToValueMappingTransformer(IHostEnvironment env, params (string outputColumnName, string inputColumnName)[] columns) : base(env, columns) { }

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input)
    {
        var itemType = KeyValueType(input);
        DataViewType type = input.Type is VectorDataViewType v ? new VectorDataViewType(itemType, v.Dimensions) : itemType;
        return new DataViewSchema.DetachedColumn(ColumnPairs[iinfo].outputColumnName, type);
    }

    private static PrimitiveDataViewType KeyValueType(DataViewSchema.Column input)
    {
        if (input.Type.GetItemType() is not KeyDataViewType key)
            throw new SchemaMismatchException("inputSchema", "input", input.Name, "a key type (or vector of keys)", input.Type.ToString()!);
        var kv = input.Annotations.Schema.GetColumnOrNull(AnnotationUtils.Kinds.KeyValues);
        if (kv is null || kv.Value.Type is not VectorDataViewType v || (ulong)v.Size != key.Count)
            throw new SchemaMismatchException("inputSchema", "input", input.Name, $"a key type with {AnnotationUtils.Kinds.KeyValues} annotations of length {key.Count}", input.Type + " without them");
        return v.ItemType;
    }

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        var item = KeyValueType(inputColumn);
        var method = typeof(KeyToValueMappingTransformer).GetMethod(nameof(MakeGetterCore), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(inputColumn.Type.GetItemType().RawType, item.RawType);
        return (Delegate)method.Invoke(null, new object[] { input, inputColumn })!;
    }

    private static Delegate MakeGetterCore<TKey, TValue>(DataViewRow input, DataViewSchema.Column column)
    {
        var values = default(VBuffer<TValue>);
        column.Annotations.GetValue(AnnotationUtils.Kinds.KeyValues, ref values);
        var table = values.ToArray();
        TValue missing = typeof(TValue) == typeof(float) ? (TValue)(object)float.NaN : typeof(TValue) == typeof(double) ? (TValue)(object)double.NaN : default!;
        TValue Map(TKey key)
        {
            var k = Convert.ToUInt64(key, System.Globalization.CultureInfo.InvariantCulture);
            return k >= 1 && k <= (ulong)table.Length ? table[k - 1] : missing;
        }
        if (column.Type is VectorDataViewType)
        {
            var getter = input.GetGetter<VBuffer<TKey>>(column);
            var buffer = default(VBuffer<TKey>);
            return (ValueGetter<VBuffer<TValue>>)((ref VBuffer<TValue> dst) =>
            {
                getter(ref buffer);
                var editor = VBufferEditor.Create(ref dst, buffer.Length);
                var i = 0;
                foreach (var key in buffer.DenseValues()) editor.Values[i++] = Map(key);
                dst = editor.Commit();
            });
        }
        var scalar = input.GetGetter<TKey>(column);
        return (ValueGetter<TValue>)((ref TValue dst) =>
        {
            TKey key = default!;
            scalar(ref key);
            dst = Map(key);
        });
    }

    private sealed record Parameters(ColumnPairParameters[] Columns);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(ColumnPairParameters.From(ColumnPairs)));
    }

    private static KeyToValueMappingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        return new KeyToValueMappingTransformer(ctx.Environment, ColumnPairParameters.ToTuples(ctx.LoadParameters<Parameters>().Columns, ctx));
    }
}

/// <summary>Creates a <see cref="KeyToValueMappingTransformer"/>; nothing to learn.</summary>
public sealed class KeyToValueMappingEstimator : TrivialEstimator<KeyToValueMappingTransformer>
{
    public KeyToValueMappingEstimator(IHostEnvironment env, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env, new KeyToValueMappingTransformer(env, columns)) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var outputs = new List<SchemaShape.Column>();
        foreach (var (output, inputName) in Transformer.ColumnPairs)
        {
            var input = SchemaMismatchException.FindColumn(inputSchema, inputName);
            if (!input.IsKey) throw new SchemaMismatchException(nameof(inputSchema), "input", inputName, "a key type", input.GetTypeString());
            if (!input.Annotations.TryFindColumn(AnnotationUtils.Kinds.KeyValues, out var kv))
                throw new SchemaMismatchException(nameof(inputSchema), "input", inputName, $"a key type with {AnnotationUtils.Kinds.KeyValues} annotations", input.GetTypeString() + " without them");
            outputs.Add(new SchemaShape.Column(output, input.Kind, kv.ItemType, kv.IsKey));
        }
        return inputSchema.With(outputs.ToArray());
    }
}
