using MLRobust.ML.Data;

namespace MLRobust.Data.Tests;

/// <summary>POCOs shared by the tests.</summary>
public sealed class FeatureRow
{
    public string Label { get; set; } = "";

    [VectorType(3)]
    public float[] Features { get; set; } = Array.Empty<float>();

    public float Weight;
}

public sealed class ScoredRow
{
    public float Label;

    [VectorType(3)]
    public float[] Score = Array.Empty<float>();
}

/// <summary>Counts how often its columns are read, to check that cursors are lazy.</summary>
public sealed class CountingRow
{
    public static int ExpensiveReads;

    public float Cheap { get; set; }

    public float Expensive
    {
        get
        {
            Interlocked.Increment(ref ExpensiveReads);
            return Cheap * 2;
        }
        set { }
    }
}
