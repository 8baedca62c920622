namespace MLRobust.ML.Data;

/// <summary>The results of <see cref="MulticlassClassificationCatalog.Evaluate"/>.</summary>
public sealed class MulticlassClassificationMetrics
{
    public MulticlassClassificationMetrics(double logLoss, double logLossReduction, double macroAccuracy, double microAccuracy,
        int topKPredictionCount, IReadOnlyList<double>? topKAccuracyForAllK, IReadOnlyList<double> perClassLogLoss, ConfusionMatrix confusionMatrix)
    {
        LogLoss = logLoss;
        LogLossReduction = logLossReduction;
        MacroAccuracy = macroAccuracy;
        MicroAccuracy = microAccuracy;
        TopKPredictionCount = topKPredictionCount;
        TopKAccuracyForAllK = topKAccuracyForAllK;
        PerClassLogLoss = perClassLogLoss ?? throw new ArgumentNullException(nameof(perClassLogLoss));
        ConfusionMatrix = confusionMatrix ?? throw new ArgumentNullException(nameof(confusionMatrix));
    }

    /// <summary>Mean of -ln(p of the true class), p clamped to [1e-15, 1].</summary>
    public double LogLoss { get; }

    /// <summary>(H_prior - LogLoss) / H_prior, where H_prior is the entropy of the label distribution.</summary>
    public double LogLossReduction { get; }

    /// <summary>The mean over classes present in the labels of each class's accuracy (recall).</summary>
    public double MacroAccuracy { get; }

    /// <summary>The fraction of rows whose argmax score is the true class.</summary>
    public double MicroAccuracy { get; }

    /// <summary>Top-K accuracy for the largest K asked for (0 when none was).</summary>
    public double TopKAccuracy => TopKAccuracyForAllK?.LastOrDefault() ?? 0;

    public int TopKPredictionCount { get; }

    /// <summary>Top-1 ... top-K accuracy: the true class among the k highest scores (ties go to the lower class index).</summary>
    public IReadOnlyList<double>? TopKAccuracyForAllK { get; }

    /// <summary>Mean log-loss of the rows of each true class (NaN for classes without rows).</summary>
    public IReadOnlyList<double> PerClassLogLoss { get; }

    public ConfusionMatrix ConfusionMatrix { get; }
}
