using System.Runtime.CompilerServices;
using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms;

/// <summary>Runs user code on each row: the input columns fill a <typeparamref name="TSrc"/>, the code fills a
/// <typeparamref name="TDst"/>, whose members become new columns. The code runs once per row, whichever outputs are read.</summary>
public sealed class CustomMappingTransformer<TSrc, TDst> : RowToRowTransformerBase
    where TSrc : class, new()
    where TDst : class, new()
{
    private readonly Action<TSrc, TDst> _mapAction;
    private readonly SchemaDefinition _inputDefinition;
    private readonly SchemaDefinition _outputDefinition;

    public CustomMappingTransformer(IHostEnvironment env, Action<TSrc, TDst> mapAction, string? contractName,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null) : base(env)
    {
        _mapAction = mapAction ?? throw new ArgumentNullException(nameof(mapAction));
        ContractName = contractName;
        _inputDefinition = inputSchemaDefinition ?? SchemaDefinition.Create(typeof(TSrc), SchemaDefinition.Direction.Write);
        _outputDefinition = outputSchemaDefinition ?? SchemaDefinition.Create(typeof(TDst), SchemaDefinition.Direction.Read);
    }

    public string? ContractName { get; }

    internal SchemaDefinition InputDefinition => _inputDefinition;
    internal SchemaDefinition OutputDefinition => _outputDefinition;

    protected override RowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    public override void Save(ModelSaveContext ctx)
    {
        if (ContractName is null)
            throw new InvalidOperationException("A custom mapping can be saved only with a contractName, and loaded only with a [CustomMappingFactoryAttribute] class for it.");
        CustomMappingTransformerLoader.Save(ctx, ContractName);
    }

    private sealed class Mapper : RowMapper
    {
        private readonly CustomMappingTransformer<TSrc, TDst> _parent;
        private readonly (MemberBinding Binding, DataViewSchema.Column Column)[] _inputs;
        private readonly MemberBinding[] _outputs;
        private readonly ConditionalWeakTable<DataViewRow, RowState> _states = new();

        public Mapper(CustomMappingTransformer<TSrc, TDst> parent, DataViewSchema inputSchema) : base(inputSchema)
        {
            _parent = parent;
            _inputs = MemberBinding.For(typeof(TSrc), parent._inputDefinition).Select(b =>
            {
                var column = SchemaMismatchException.FindColumn(inputSchema, b.ColumnName);
                if (!b.Accepts(column.Type))
                    throw new SchemaMismatchException(nameof(inputSchema), "input", b.ColumnName, $"{b.ColumnType}", column.Type.ToString()!);
                return (b, column);
            }).ToArray();
            _outputs = MemberBinding.For(typeof(TDst), parent._outputDefinition);
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() =>
            _outputs.Select(b => new DataViewSchema.DetachedColumn(b.ColumnName, b.ColumnType, b.Annotations)).ToArray();

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => _inputs.Select(i => i.Column);

        public override Delegate MakeGetter(DataViewRow input, int outputIndex, out Action? disposer)
        {
            disposer = null;
            var state = _states.GetValue(input, row => new RowState(this, row));
            return _outputs[outputIndex].MakeGetter(state.Current);
        }

        private sealed class RowState
        {
            private readonly Mapper _mapper;
            private readonly DataViewRow _row;
            private readonly Action<object>[] _fillers;
            private readonly TSrc _src = new();
            private TDst _dst = new();
            private long _position = -1;

            public RowState(Mapper mapper, DataViewRow row)
            {
                _mapper = mapper;
                _row = row;
                _fillers = mapper._inputs.Select(i => i.Binding.MakeFiller(row, row.Schema[i.Column.Index])).ToArray();
            }

            public object Current()
            {
                if (_row.Position < 0) throw new InvalidOperationException("The cursor is not on a row.");
                if (_row.Position != _position)
                {
                    foreach (var fill in _fillers) fill(_src);
                    _dst = new TDst();
                    _mapper._parent._mapAction(_src, _dst);
                    _position = _row.Position;
                }
                return _dst;
            }
        }
    }
}
