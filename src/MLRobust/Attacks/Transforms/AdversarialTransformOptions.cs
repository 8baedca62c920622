namespace MLRobust.Attacks;

/// <summary>How an attack transform reads and names its columns, and how many rows it attacks at once.</summary>
public sealed class AdversarialTransformOptions
{
    /// <summary>The true class of each row: a key column (key k = class k − 1) or a numeric column of class indices.</summary>
    public string LabelColumnName = "Label";

    /// <summary>Per-row targets (same types as the label) for <see cref="TargetSelection.Given"/>.</summary>
    public string? TargetColumnName;

    /// <summary>Rows attacked together; default 64.</summary>
    public int BatchSize = 64;

    /// <summary>Prefix of the added bookkeeping and metric columns ("Success", "Steps", …), so that several
    /// attacks can run in one pipeline.</summary>
    public string ColumnPrefix = "";

    /// <summary>[C, H, W] of a flat image column; by default the column's dimensions ([C, H, W], [H, W], or one
    /// square side).</summary>
    public int[]? ImageShape;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        ArgumentNullException.ThrowIfNull(ColumnPrefix, nameof(ColumnPrefix));
    }
}
