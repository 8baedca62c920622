using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms;

/// <summary>Concatenates scalar and vector columns of one item type into a single vector (known size when all inputs are).</summary>
[ModelComponent(LoaderSignature)]
public sealed class ColumnConcatenatingTransformer : RowToRowTransformerBase
{
    internal const string LoaderSignature = "ConcatTransform";
    private const int Version = 1;

    public ColumnConcatenatingTransformer(IHostEnvironment env, string outputColumnName, params string[] inputColumnNames) : base(env)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentNullException.ThrowIfNull(inputColumnNames);
        if (inputColumnNames.Length == 0 || inputColumnNames.Any(string.IsNullOrEmpty))
            throw new ArgumentException("Give at least one input column, none empty.", nameof(inputColumnNames));
        OutputColumnName = outputColumnName;
        InputColumnNames = inputColumnNames.ToArray();
    }

    public string OutputColumnName { get; }
    public IReadOnlyList<string> InputColumnNames { get; }

    protected override RowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    private sealed record Parameters(string Output, string[] Inputs);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(OutputColumnName, InputColumnNames.ToArray()));
    }

    private static ColumnConcatenatingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        if (string.IsNullOrEmpty(p.Output) || p.Inputs is null || p.Inputs.Length == 0) throw ctx.Error("the columns are missing");
        return new ColumnConcatenatingTransformer(ctx.Environment, p.Output, p.Inputs);
    }

    private sealed class Mapper : RowMapper
    {
        private readonly ColumnConcatenatingTransformer _parent;
        private readonly DataViewSchema.Column[] _inputs;
        private readonly PrimitiveDataViewType _itemType;

        public Mapper(ColumnConcatenatingTransformer parent, DataViewSchema inputSchema) : base(inputSchema)
        {
            _parent = parent;
            _inputs = parent.InputColumnNames.Select(n => SchemaMismatchException.FindColumn(inputSchema, n)).ToArray();
            if (_inputs[0].Type.GetItemType() is not PrimitiveDataViewType first)
                throw new SchemaMismatchException(nameof(inputSchema), "input", _inputs[0].Name, "a scalar or vector of a primitive type", _inputs[0].Type.ToString()!);
            _itemType = first;
            foreach (var c in _inputs)
            {
                if (!c.Type.GetItemType().Equals(first))
                    throw new SchemaMismatchException(nameof(inputSchema), "input", c.Name, first + (c.Type is VectorDataViewType ? $" vector" : ""), c.Type.ToString()!);
            }
            _ = OutputColumns;
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore()
        {
            var sizes = _inputs.Select(c => c.Type.GetValueCount()).ToArray();
            var size = sizes.Any(s => s == 0) ? 0 : sizes.Sum();
            return new[] { new DataViewSchema.DetachedColumn(_parent.OutputColumnName, new VectorDataViewType(_itemType, size)) };
        }

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => _inputs;

        public override Delegate MakeGetter(DataViewRow input, int outputIndex, out Action? disposer)
        {
            disposer = null;
            var method = typeof(Mapper).GetMethod(nameof(MakeGetterCore), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
                .MakeGenericMethod(_itemType.RawType);
            return (Delegate)method.Invoke(this, new object[] { input })!;
        }

        private ValueGetter<VBuffer<T>> MakeGetterCore<T>(DataViewRow input)
        {
            var parts = _inputs.Select(c =>
            {
                if (c.Type is VectorDataViewType)
                {
                    var g = input.GetGetter<VBuffer<T>>(c);
                    var buffer = default(VBuffer<T>);
                    return (Func<(int Length, Action<Span<T>> Write)>)(() =>
                    {
                        g(ref buffer);
                        var b = buffer;
                        return (b.Length, span => b.CopyTo(span));
                    });
                }
                var s = input.GetGetter<T>(c);
                return () =>
                {
                    T value = default!;
                    s(ref value);
                    return (1, span => span[0] = value);
                };
            }).ToArray();
            var expected = OutputColumns[0].Type.GetValueCount();
            var outputName = _parent.OutputColumnName;
            return (ref VBuffer<T> dst) =>
            {
                var pieces = parts.Select(p => p()).ToArray();
                var length = pieces.Sum(p => p.Length);
                if (expected > 0 && length != expected)
                    throw new InvalidOperationException($"Column '{outputName}': the inputs hold {length} values on this row; the output type says {expected}.");
                var editor = VBufferEditor.Create(ref dst, length);
                var offset = 0;
                foreach (var (n, write) in pieces)
                {
                    write(editor.Values.Slice(offset, n));
                    offset += n;
                }
                dst = editor.Commit();
            };
        }
    }
}

/// <summary>Creates a <see cref="ColumnConcatenatingTransformer"/>; nothing to learn.</summary>
public sealed class ColumnConcatenatingEstimator : TrivialEstimator<ColumnConcatenatingTransformer>
{
    public ColumnConcatenatingEstimator(IHostEnvironment env, string outputColumnName, params string[] inputColumnNames)
        : base(env, new ColumnConcatenatingTransformer(env, outputColumnName, inputColumnNames)) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var inputs = Transformer.InputColumnNames.Select(n => SchemaMismatchException.FindColumn(inputSchema, n)).ToArray();
        var first = inputs[0];
        foreach (var c in inputs)
        {
            if (!c.ItemType.Equals(first.ItemType) || c.IsKey != first.IsKey)
                throw new SchemaMismatchException(nameof(inputSchema), "input", c.Name, first.ItemType.ToString()!, c.GetTypeString());
        }
        var kind = inputs.Any(c => c.Kind == SchemaShape.Column.VectorKind.VariableVector) ? SchemaShape.Column.VectorKind.VariableVector : SchemaShape.Column.VectorKind.Vector;
        return inputSchema.With(new SchemaShape.Column(Transformer.OutputColumnName, kind, first.ItemType, first.IsKey));
    }
}
