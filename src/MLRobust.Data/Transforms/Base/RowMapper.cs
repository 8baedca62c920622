namespace MLRobust.ML;

/// <summary>
/// Computes new columns from the columns of an input row, for one input schema. Transformers that add columns
/// row by row return one from <see cref="RowToRowTransformerBase.MakeRowMapper"/>; the framework then
/// opens only the input columns that the requested outputs depend on and builds each getter once per cursor.
/// </summary>
public abstract class RowMapper
{
    private readonly Lazy<DataViewSchema.DetachedColumn[]> _outputColumns;

    protected RowMapper(DataViewSchema inputSchema)
    {
        InputSchema = inputSchema ?? throw new ArgumentNullException(nameof(inputSchema));
        _outputColumns = new Lazy<DataViewSchema.DetachedColumn[]>(GetOutputColumnsCore);
    }

    public DataViewSchema InputSchema { get; }

    /// <summary>The added columns, in order (computed once).</summary>
    public DataViewSchema.DetachedColumn[] OutputColumns => _outputColumns.Value;

    protected abstract DataViewSchema.DetachedColumn[] GetOutputColumnsCore();

    /// <summary>The input columns output <paramref name="outputIndex"/> reads.</summary>
    public abstract IEnumerable<DataViewSchema.Column> GetDependencies(int outputIndex);

    /// <summary>A <see cref="ValueGetter{TValue}"/> of output <paramref name="outputIndex"/>'s raw type, reading
    /// <paramref name="input"/>; <paramref name="disposer"/> (optional) runs when the cursor is disposed.</summary>
    public abstract Delegate MakeGetter(DataViewRow input, int outputIndex, out Action? disposer);
}
