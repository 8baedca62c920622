using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary><c>mlContext.MulticlassClassification</c>: trainers (extension methods on <see cref="Trainers"/>) and evaluation.</summary>
public sealed class MulticlassClassificationCatalog : CatalogBase
{
    internal MulticlassClassificationCatalog(IHostEnvironment env) : base(env)
    {
        Trainers = new MulticlassClassificationTrainers(this);
    }

    public MulticlassClassificationTrainers Trainers { get; }

    /// <summary>Trainers are added as extension methods on this class by the assemblies that define them.</summary>
    public sealed class MulticlassClassificationTrainers : CatalogBase
    {
        internal MulticlassClassificationTrainers(MulticlassClassificationCatalog owner) : base(owner.Environment) { }
    }

    /// <summary>
    /// Evaluates scored data with ML.NET's rules: <paramref name="scoreColumnName"/> is a known-size Single vector
    /// of at least 2 class scores; <paramref name="labelColumnName"/> is Single (class index) or a key (key k is class k-1);
    /// rows with a missing label (NaN, key 0) are skipped; predictions are the argmax of the scores (first wins ties).
    /// The predicted-label column is checked when present but not needed. A positive
    /// <paramref name="topKPredictionCount"/> also computes top-1 ... top-K accuracy.
    /// </summary>
    public MulticlassClassificationMetrics Evaluate(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score, string predictedLabelColumnName = DefaultColumnNames.PredictedLabel,
        int topKPredictionCount = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (topKPredictionCount < 0) throw new ArgumentOutOfRangeException(nameof(topKPredictionCount), topKPredictionCount, "Must be positive (or 0 for none).");
        return MulticlassEvaluator.Evaluate(Environment, data, labelColumnName, scoreColumnName, predictedLabelColumnName, topKPredictionCount);
    }
}
