namespace MLRobust.ML;

/// <summary>
/// A row-to-row transformer that computes each output column from one input column
/// (<see cref="ColumnPairs"/>: output name first, then input name, as ML.NET orders them).
/// </summary>
public abstract class OneToOneTransformerBase : RowToRowTransformerBase
{
    private readonly (string outputColumnName, string inputColumnName)[] _columns;

    protected OneToOneTransformerBase(IHostEnvironment env, params (string outputColumnName, string inputColumnName)[] columns) : base(env)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Length == 0) throw new ArgumentException("Give at least one column.", nameof(columns));
        foreach (var (output, input) in columns)
        {
            if (string.IsNullOrEmpty(output)) throw new ArgumentException("Output column names can't be empty.", nameof(columns));
            if (string.IsNullOrEmpty(input)) throw new ArgumentException("Input column names can't be empty.", nameof(columns));
        }
        if (columns.Select(c => c.outputColumnName).Distinct().Count() != columns.Length)
            throw new ArgumentException("Output column names must be distinct.", nameof(columns));
        _columns = columns.ToArray();
    }

    public IReadOnlyList<(string outputColumnName, string inputColumnName)> ColumnPairs => _columns;

    /// <summary>Checks input column <paramref name="input"/> of pair <paramref name="iinfo"/> (throwing
    /// <see cref="SchemaMismatchException"/>) and describes the output column.</summary>
    protected abstract DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input);

    /// <summary>The getter of output <paramref name="iinfo"/>, reading <paramref name="inputColumn"/> of <paramref name="input"/>.</summary>
    protected abstract Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer);

    protected sealed override RowMapper MakeRowMapper(DataViewSchema inputSchema) => new Mapper(this, inputSchema);

    /// <summary>The input column of pair <paramref name="iinfo"/>, or a "Could not find input column" error.</summary>
    protected DataViewSchema.Column FindInput(DataViewSchema inputSchema, int iinfo) =>
        SchemaMismatchException.FindColumn(inputSchema, _columns[iinfo].inputColumnName);

    private sealed class Mapper : RowMapper
    {
        private readonly OneToOneTransformerBase _parent;
        private readonly DataViewSchema.Column[] _inputs;

        public Mapper(OneToOneTransformerBase parent, DataViewSchema inputSchema) : base(inputSchema)
        {
            _parent = parent;
            _inputs = Enumerable.Range(0, parent._columns.Length).Select(i => parent.FindInput(inputSchema, i)).ToArray();
            _ = OutputColumns; // validate the schema now, not at the first cursor
        }

        protected override DataViewSchema.DetachedColumn[] GetOutputColumnsCore() =>
            _inputs.Select((input, i) => _parent.GetOutputColumn(i, input)).ToArray();

        public override IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex) => new[] { _inputs[outputIndex] };

        public override Delegate MakeGetter(DataViewRow input, int outputIndex, out Action? disposer) =>
            _parent.MakeGetter(input, outputIndex, input.Schema[_inputs[outputIndex].Index], OutputColumns[outputIndex], out disposer);
    }
}
