namespace MLRobust.ML;

/// <summary>The lazy view a <see cref="RowMapper"/> produces: input columns pass through, output columns are computed on demand.</summary>
public sealed class RowToRowMapperTransform : IDataView
{
    private readonly IDataView _input;
    private readonly RowMapper _mapper;
    private readonly int _inputCount;

    public RowToRowMapperTransform(IDataView input, RowMapper mapper)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _mapper = mapper ?? throw new ArgumentNullException(nameof(mapper));
        if (!ReferenceEquals(mapper.InputSchema, input.Schema) && mapper.InputSchema.Count != input.Schema.Count)
            throw new ArgumentException("The mapper was made for a different input schema.", nameof(mapper));
        _inputCount = input.Schema.Count;
        Schema = BuildSchema(input.Schema, mapper.OutputColumns);
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => _input.CanShuffle;

    public long? GetRowCount() => _input.GetRowCount();

    internal static DataViewSchema BuildSchema(DataViewSchema input, IEnumerable<DataViewSchema.DetachedColumn> outputs)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumns(outputs);
        return builder.ToSchema();
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputColumns, activeOutputs) = Plan(columnsNeeded);
        var inputCursor = _input.GetRowCursor(inputColumns, rand);
        return new Cursor(this, inputCursor, activeOutputs);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var (inputColumns, activeOutputs) = Plan(columnsNeeded);
        return _input.GetRowCursorSet(inputColumns, n, rand).Select(c => (DataViewRowCursor)new Cursor(this, c, activeOutputs)).ToArray();
    }

    private (List<DataViewSchema.Column> InputColumns, bool[] ActiveOutputs) Plan(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var active = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        var activeOutputs = new bool[_mapper.OutputColumns.Length];
        var inputActive = new bool[_inputCount];
        for (var i = 0; i < active.Length; i++)
        {
            if (!active[i]) continue;
            if (i < _inputCount) inputActive[i] = true;
            else activeOutputs[i - _inputCount] = true;
        }
        for (var o = 0; o < activeOutputs.Length; o++)
        {
            if (!activeOutputs[o]) continue;
            foreach (var dependency in _mapper.GetDependencies(o)) inputActive[dependency.Index] = true;
        }
        var inputColumns = new List<DataViewSchema.Column>();
        for (var i = 0; i < _inputCount; i++) if (inputActive[i]) inputColumns.Add(_input.Schema[i]);
        return (inputColumns, activeOutputs);
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly RowToRowMapperTransform _parent;
        private readonly DataViewRowCursor _input;
        private readonly Delegate?[] _outputGetters;
        private readonly List<Action> _disposers = new();
        private bool _disposed;

        public Cursor(RowToRowMapperTransform parent, DataViewRowCursor input, bool[] activeOutputs)
        {
            _parent = parent;
            _input = input;
            _outputGetters = new Delegate?[activeOutputs.Length];
            try
            {
                for (var o = 0; o < activeOutputs.Length; o++)
                {
                    if (!activeOutputs[o]) continue;
                    _outputGetters[o] = parent._mapper.MakeGetter(input, o, out var disposer);
                    if (disposer != null) _disposers.Add(disposer);
                }
            }
            catch
            {
                Dispose();
                throw;
            }
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;

        public override bool MoveNext() => _input.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _parent._inputCount ? _input.IsColumnActive(_input.Schema[column.Index]) : _outputGetters[column.Index - _parent._inputCount] != null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _parent._inputCount && (uint)column.Index < (uint)Schema.Count && Schema[column.Index].Name == column.Name)
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            var o = column.Index - _parent._inputCount;
            return CursorChecks.Getter<TValue>(this, column, o >= 0 && o < _outputGetters.Length ? _outputGetters[o] : null);
        }

        protected override void Dispose(bool disposing)
        {
            if (_disposed) return;
            _disposed = true;
            if (disposing)
            {
                foreach (var d in _disposers) d();
                _input.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
