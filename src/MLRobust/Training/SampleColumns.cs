namespace MLRobust.Training;

/// <summary>The columns a <see cref="DataViewSampleSource"/> reads: the image (known-size Single vector of S·S values), the
/// label (a key) and, for the pose-aware models, the pose parameters (Single vector), the clean render and the alpha
/// (Single vectors of S·S values). Null leaves a column out.</summary>
public sealed record SampleColumns(string Features, string Label, string? Parameters = null, string? CleanImage = null, string? Alpha = null);
