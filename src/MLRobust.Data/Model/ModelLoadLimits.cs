namespace MLRobust.ML;

/// <summary>Bounds on what a model file may hold, checked before and while reading it (zip bombs, hostile headers).</summary>
internal sealed record ModelLoadLimits(long MaxEntryBytes, long MaxTotalBytes, int MaxEntries, int MaxNesting)
{
    internal static ModelLoadLimits Default { get; } = new(MaxEntryBytes: int.MaxValue - 64, MaxTotalBytes: 8L << 30, MaxEntries: 100_000, MaxNesting: 64);
}
