using MLRobust.MLNet;
using Microsoft.ML;

namespace MLRobust.Attacks.Transforms;

/// <summary>
/// Computes output columns for a batch of rows at once (an attack on a batch of images). A
/// <see cref="BatchedDataView"/> cursor pulls up to <see cref="BatchSize"/> rows, buffers the inputs, calls
/// <see cref="Compute"/>, then hands the rows out one by one. One instance serves one cursor.
/// </summary>
internal abstract class BatchComputation
{
    /// <summary>How many rows are computed together.</summary>
    internal abstract int BatchSize { get; }

    /// <summary>The input columns the outputs are computed from.</summary>
    internal abstract IReadOnlyList<DataViewSchema.Column> Dependencies { get; }

    /// <summary>Computes every output for the buffered rows 0 … count − 1; <paramref name="positions"/> are the rows'
    /// positions in the cursor (stable sample ids for random streams).</summary>
    internal abstract void Compute(BufferedRows rows, int count, long[] positions);

    /// <summary>The getter of output <paramref name="output"/>, reading the row <paramref name="row"/> returns.</summary>
    internal abstract Delegate MakeGetter(int output, Func<int> row);
}

/// <summary>The buffered input values of a batch, by input column index.</summary>
internal sealed class BufferedRows
{
    private readonly Dictionary<int, ColumnBuffer> _buffers;

    internal BufferedRows(Dictionary<int, ColumnBuffer> buffers) => _buffers = buffers;

    /// <summary>The value of column <paramref name="column"/> in buffered row <paramref name="row"/>.</summary>
    internal T Get<T>(DataViewSchema.Column column, int row) => ((ColumnBuffer<T>)_buffers[column.Index]).Stored(row);
}
