namespace MLRobust.ML;

/// <summary>The column names ML.NET components use by default.</summary>
public static class DefaultColumnNames
{
    public const string Features = "Features";
    public const string Label = "Label";
    public const string Score = "Score";
    public const string PredictedLabel = "PredictedLabel";
    public const string Probability = "Probability";
}
