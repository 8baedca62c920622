namespace MLRobust.ML;

/// <summary>
/// A transformer that adds columns computed row by row. <see cref="Transform"/> only wraps the input: nothing is
/// computed until a cursor pulls rows, and then only the requested columns.
/// </summary>
public abstract class RowToRowTransformerBase : ITransformer
{
    protected RowToRowTransformerBase(IHostEnvironment env)
    {
        Environment = env ?? throw new ArgumentNullException(nameof(env));
    }

    protected IHostEnvironment Environment { get; }

    /// <summary>Checks <paramref name="inputSchema"/> (throwing <see cref="SchemaMismatchException"/>) and returns the mapper for it.</summary>
    protected abstract RowMapper MakeRowMapper(DataViewSchema inputSchema);

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return RowToRowMapperTransform.BuildSchema(inputSchema, MakeRowMapper(inputSchema).OutputColumns);
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new RowToRowMapperTransform(input, MakeRowMapper(input.Schema));
    }

    public abstract void Save(ModelSaveContext ctx);
}
