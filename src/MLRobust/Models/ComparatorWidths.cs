namespace MLRobust.Models;

/// <summary>Layer widths and patch size of <see cref="Comparator"/>; the defaults are the paper's (10×10 patches, 64
/// channels after each convolution).</summary>
public sealed record ComparatorWidths(long PatchSize = 10, long Conv1 = 64, long Conv2 = 64, long Conv3 = 64);
