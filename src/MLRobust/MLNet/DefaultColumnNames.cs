using MLRobust.MLNet;
namespace MLRobust.MLNet;

/// <summary>The column names ML.NET's trainers use by default (its own DefaultColumnNames is internal).</summary>
internal static class DefaultColumnNames
{
    public const string Label = "Label";
    public const string Features = "Features";
    public const string Score = "Score";
    public const string PredictedLabel = "PredictedLabel";
}
