using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Rendering.DataViews;

namespace MLRobust.MLNet;

/// <summary>A row that shows its input's columns and the columns an <see cref="IColumnMapper"/> adds.</summary>
internal sealed class MappedRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly Delegate?[] _outputs;
    private readonly int _inputCount;

    public MappedRow(DataViewRow input, DataViewSchema schema, Delegate?[] outputs)
    {
        _input = input;
        Schema = schema;
        _outputs = outputs;
        _inputCount = input.Schema.Count;
    }

    public override DataViewSchema Schema { get; }
    public override long Position => _input.Position;
    public override long Batch => _input.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < _inputCount ? _input.IsColumnActive(_input.Schema[column.Index]) : _outputs[column.Index - _inputCount] is not null;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if ((uint)column.Index >= (uint)Schema.Count || Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) is not in this row's schema.");
        return column.Index < _inputCount
            ? _input.GetGetter<TValue>(_input.Schema[column.Index])
            : CursorChecks.Getter<TValue>(this, column, _outputs[column.Index - _inputCount]);
    }

    /// <summary>The schema of input + outputs.</summary>
    public static DataViewSchema OutputSchema(DataViewSchema input, DataViewSchema.DetachedColumn[] outputs)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        builder.AddColumns(outputs);
        return builder.ToSchema();
    }

    /// <summary>Which outputs are active, from active columns of the output schema.</summary>
    public static bool[] ActiveOutputs(DataViewSchema outputSchema, int inputCount, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var active = CursorChecks.ActiveFlags(outputSchema, activeColumns);
        return active.Skip(inputCount).ToArray();
    }
}
