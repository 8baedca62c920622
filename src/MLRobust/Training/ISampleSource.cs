namespace MLRobust.Training;

/// <summary>
/// Where training batches come from. A source is an endless stream per <see cref="SampleFilter"/>: epoch after epoch,
/// each in a seeded random order, so the batch at a given stream position is always the same and a resumed run can
/// seek back to where it stopped.
/// </summary>
public interface ISampleSource
{
    /// <summary>The number of classes, None included when there is one.</summary>
    int ClassCount { get; }

    /// <summary>The class meaning "no object", or -1.</summary>
    int NoneClassIndex { get; }

    /// <summary>The side S of the square images.</summary>
    long ImageSize { get; }

    /// <summary>P, the number of pose parameters per row (0 when the source has none).</summary>
    int ParameterCount { get; }

    /// <summary>Whether batches carry clean renders and alphas.</summary>
    bool HasRenderColumns { get; }

    /// <summary>The next <paramref name="count"/> rows of the stream <paramref name="filter"/>.</summary>
    SampleBatch Next(int count, SampleFilter filter);

    /// <summary>How many rows of the stream have been handed out.</summary>
    long GetPosition(SampleFilter filter);

    /// <summary>Moves the stream so that the next row handed out is row <paramref name="position"/> of it.</summary>
    void Seek(SampleFilter filter, long position);

    /// <summary>One pass in storage order over at most <paramref name="maxRows"/> rows (validation).</summary>
    IEnumerable<SampleBatch> Pass(int batchSize, SampleFilter filter, int maxRows);
}
