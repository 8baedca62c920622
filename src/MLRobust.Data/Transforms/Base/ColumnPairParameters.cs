namespace MLRobust.ML;

/// <summary>The persisted form of an (output, input) column pair.</summary>
internal sealed record ColumnPairParameters(string Output, string Input)
{
    internal static ColumnPairParameters[] From(IEnumerable<(string outputColumnName, string inputColumnName)> pairs) =>
        pairs.Select(p => new ColumnPairParameters(p.outputColumnName, p.inputColumnName)).ToArray();

    internal static (string outputColumnName, string inputColumnName)[] ToTuples(ColumnPairParameters[]? pairs, ModelLoadContext ctx)
    {
        if (pairs is null || pairs.Length == 0 || pairs.Any(p => p is null || string.IsNullOrEmpty(p.Output) || string.IsNullOrEmpty(p.Input)))
            throw ctx.Error("the column list is missing or malformed");
        return pairs.Select(p => (p.Output, p.Input)).ToArray();
    }
}
