using MLRobust.Attacks;

namespace MLRobust.Explanations;

/// <summary>What every explanation method shares: the explained output, the seed, how many images go through the
/// model at once, the input range, and how the transform reads and names its columns.</summary>
public abstract class ExplanationOptions
{
    /// <summary>The explained number: the class probability (default; the score for score models) or the raw evidence.</summary>
    public ExplainedOutput Output = ExplainedOutput.Probability;

    /// <summary>Seed of every random draw (LIME's masks, SmoothGrad's noise). Draws are per image, seeded by (seed, row
    /// position), so an image gets the same explanation whatever batch it is in.</summary>
    public int Seed = 1;

    /// <summary>Model inputs per forward pass (perturbed images, noisy copies, integration points of several images
    /// together); default 256.</summary>
    public int BatchSize = 256;

    /// <summary>Rows a transform explains together; default 16.</summary>
    public int RowsPerBatch = 16;

    /// <summary>The images' value range when the model declares none (<see cref="IAttackTarget.Range"/>); null: [0, 1].</summary>
    public InputRange? Range;

    /// <summary>[C, H, W] of a flat image column; by default the column's dimensions ([C, H, W], [H, W], or one square side).</summary>
    public int[]? ImageShape;

    /// <summary>Prefix of the columns a transform adds besides the heat map (see <see cref="ExplanationColumnNames"/>), so
    /// that several explanations can share a pipeline.</summary>
    public string ColumnPrefix = "";

    private protected virtual void ValidateMore() { }

    internal void Validate()
    {
        if (!Enum.IsDefined(Output)) throw new ArgumentOutOfRangeException(nameof(Output), Output, "Unknown explained output.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (RowsPerBatch < 1) throw new ArgumentOutOfRangeException(nameof(RowsPerBatch), RowsPerBatch, "RowsPerBatch must be at least 1.");
        ArgumentNullException.ThrowIfNull(ColumnPrefix, nameof(ColumnPrefix));
        ValidateMore();
    }
}

/// <summary>The names of the columns an explanation transform adds besides the heat map (each with
/// <see cref="ExplanationOptions.ColumnPrefix"/>).</summary>
public static class ExplanationColumnNames
{
    /// <summary>Key: the explained class of the row (the prediction, or the label column's class).</summary>
    public const string ExplainedClass = "ExplainedClass";

    /// <summary>LIME, vector of Single (H·W): 1 on the pixels of the top superpixels, 0 elsewhere.</summary>
    public const string TopSuperpixels = "TopSuperpixels";

    /// <summary>LIME, vector of Int32 (H·W): the superpixel of every pixel.</summary>
    public const string Superpixels = "Superpixels";
}
