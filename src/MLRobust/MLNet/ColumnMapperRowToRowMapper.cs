using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.MLNet;

/// <summary>The <see cref="IRowToRowMapper"/> of a column-adding transformer: what PredictionEngine and ML.NET's
/// chains use to score one row at a time.</summary>
internal sealed class ColumnMapperRowToRowMapper : IRowToRowMapper
{
    private readonly IColumnMapper _mapper;

    public ColumnMapperRowToRowMapper(DataViewSchema inputSchema, IColumnMapper mapper)
    {
        InputSchema = inputSchema ?? throw new ArgumentNullException(nameof(inputSchema));
        _mapper = mapper ?? throw new ArgumentNullException(nameof(mapper));
        OutputSchema = MappedRow.OutputSchema(inputSchema, mapper.OutputColumns);
    }

    public DataViewSchema InputSchema { get; }
    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var active = MappedRow.ActiveOutputs(OutputSchema, InputSchema.Count, dependingColumns);
        var passThrough = dependingColumns.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]);
        return passThrough.Concat(_mapper.Dependencies(InputSchema, active)).DistinctBy(c => c.Index).ToArray();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) => GetRow(input, activeColumns, null);

    internal DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns, int? cursorSeed)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Schema != InputSchema && input.Schema.Count != InputSchema.Count)
            throw new ArgumentException("The row's schema is not the schema this mapper was made for.", nameof(input));
        var active = MappedRow.ActiveOutputs(OutputSchema, InputSchema.Count, activeColumns);
        return new MappedRow(input, OutputSchema, _mapper.MakeGetters(input, active, cursorSeed));
    }
}
