using Microsoft.ML;

namespace MLRobust.MLNet;

/// <summary>
/// Adds columns to a row, computed from the row's other columns: what MLRobust's row-to-row transformers share
/// (ML.NET's own RowToRowMapperTransform and its bases have private protected constructors).
/// </summary>
internal interface IColumnMapper
{
    /// <summary>The added columns, in order; they come after (and hide) the input's columns of the same names.</summary>
    DataViewSchema.DetachedColumn[] OutputColumns { get; }

    /// <summary>The input columns needed to compute the active outputs.</summary>
    IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema inputSchema, bool[] activeOutputs);

    /// <summary>Getters for the active outputs over <paramref name="input"/> (null for inactive ones). Getters compute
    /// once per row: they may cache by <see cref="DataViewRow.Position"/>. <paramref name="cursorSeed"/> is drawn from the
    /// Random a cursor was asked for with (ML.NET's way of saying "this pass may differ"), null for a plain cursor or row.</summary>
    Delegate?[] MakeGetters(DataViewRow input, bool[] activeOutputs, int? cursorSeed = null);
}
