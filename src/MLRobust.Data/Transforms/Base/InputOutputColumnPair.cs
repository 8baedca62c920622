namespace MLRobust.ML;

/// <summary>An output column and the input column it is computed from (input defaults to the output name).</summary>
public sealed class InputOutputColumnPair
{
    public InputOutputColumnPair(string outputColumnName, string? inputColumnName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
    }

    public string OutputColumnName { get; }
    public string InputColumnName { get; }

    internal static (string outputColumnName, string inputColumnName)[] ToTuples(InputOutputColumnPair[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return columns.Select(c => (c.OutputColumnName, c.InputColumnName)).ToArray();
    }
}
