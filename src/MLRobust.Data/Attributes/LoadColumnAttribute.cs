namespace MLRobust.ML.Data;

/// <summary>Which field(s) of a text file a member of a <c>LoadFromTextFile&lt;T&gt;</c> class reads: one index,
/// an inclusive range (a vector), or a list of indices (a vector).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class LoadColumnAttribute : Attribute
{
    public LoadColumnAttribute(int fieldIndex) : this(new[] { fieldIndex }) { }

    public LoadColumnAttribute(int start, int end)
        : this(end >= start ? Enumerable.Range(start, end - start + 1).ToArray() : throw new ArgumentOutOfRangeException(nameof(end), "The range end must not be before its start.")) { }

    public LoadColumnAttribute(int[] columnIndexes)
    {
        if (columnIndexes is null || columnIndexes.Length == 0) throw new ArgumentException("Give at least one field index.", nameof(columnIndexes));
        if (columnIndexes.Any(i => i < 0)) throw new ArgumentOutOfRangeException(nameof(columnIndexes), "Field indices can't be negative.");
        Indices = columnIndexes;
    }

    public IReadOnlyList<int> Indices { get; }
}
