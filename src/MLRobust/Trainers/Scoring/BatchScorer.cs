using MLRobust.MLNet;
using Microsoft.ML;

namespace MLRobust.Trainers.Scoring;

/// <summary>
/// What a model-backed transformer computes for a batch of rows: it reads one input column (the image vector) and fills
/// its output columns — Single vectors and UInt32 keys — for every row of the batch at once, so the network runs on
/// batches rather than on single images.
/// </summary>
internal abstract class BatchScorer
{
    /// <summary>The input column the outputs are computed from.</summary>
    public abstract string InputColumnName { get; }

    /// <summary>The number of values of an input row.</summary>
    public abstract int InputLength { get; }

    /// <summary>The added columns: each a known-size Single vector or a UInt32 key.</summary>
    public abstract DataViewSchema.DetachedColumn[] OutputColumns { get; }

    /// <summary>How many rows are scored together.</summary>
    public abstract int BatchSize { get; }

    /// <summary>Scores <paramref name="count"/> rows whose inputs are laid out one after another in <paramref name="inputs"/>,
    /// filling the active outputs of <paramref name="outputs"/>.</summary>
    public abstract void Score(float[] inputs, int count, ScoredBatch outputs);
}

/// <summary>The outputs of one scored batch: per output column, values laid out row after row.</summary>
internal sealed class ScoredBatch
{
    public ScoredBatch(DataViewSchema.DetachedColumn[] columns, bool[] active, int capacity)
    {
        Active = active;
        Widths = new int[columns.Length];
        Vectors = new float[]?[columns.Length];
        Keys = new uint[]?[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Type is Microsoft.ML.Data.VectorDataViewType v)
            {
                Widths[i] = v.Size;
                if (active[i]) Vectors[i] = new float[capacity * v.Size];
            }
            else
            {
                Widths[i] = 1;
                if (active[i]) Keys[i] = new uint[capacity];
            }
        }
    }

    public bool[] Active { get; }
    public int[] Widths { get; }
    public float[]?[] Vectors { get; }
    public uint[]?[] Keys { get; }

    /// <summary>Row <paramref name="row"/> of vector output <paramref name="column"/>, when it is active.</summary>
    public Span<float> Vector(int column, int row) => Vectors[column] is { } v ? v.AsSpan(row * Widths[column], Widths[column]) : Span<float>.Empty;
}
