using MLRobust.MLNet;
using MLRobust.Trainers;

namespace Microsoft.ML;

/// <summary>The MLRobust trainers on <c>ml.MulticlassClassification.Trainers</c>: the direct baselines and the triple-staged
/// projection classifier of "The Artificial Mind's Eye" (PAPERS.md §1).</summary>
public static class RobustClassificationCatalog
{
    /// <summary>The direct classifier (AlexNet-small) on a square greyscale image column and a key label.</summary>
    public static DirectClassifierTrainer DirectClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features,
        string scoreColumnName = DefaultColumnNames.Score, string predictedLabelColumnName = DefaultColumnNames.PredictedLabel, IDataView? validationSet = null)
        => catalog.DirectClassifier(new DirectClassifierTrainer.Options
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, ScoreColumnName = scoreColumnName,
            PredictedLabelColumnName = predictedLabelColumnName, ValidationSet = validationSet,
        });

    public static DirectClassifierTrainer DirectClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, DirectClassifierTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DirectClassifierTrainer(RobustEnvironment.FromCatalog(catalog), options);
    }

    /// <summary>The direct classifier with a pose head trained on <paramref name="parametersColumnName"/> (masked for None rows).</summary>
    public static DirectWithParametersTrainer DirectWithParameters(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features, string parametersColumnName = "Parameters",
        string scoreColumnName = DefaultColumnNames.Score, string predictedLabelColumnName = DefaultColumnNames.PredictedLabel, IDataView? validationSet = null)
        => catalog.DirectWithParameters(new DirectWithParametersTrainer.Options
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, ParametersColumnName = parametersColumnName,
            ScoreColumnName = scoreColumnName, PredictedLabelColumnName = predictedLabelColumnName, ValidationSet = validationSet,
        });

    public static DirectWithParametersTrainer DirectWithParameters(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, DirectWithParametersTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DirectWithParametersTrainer(RobustEnvironment.FromCatalog(catalog), options);
    }

    /// <summary>The triple-staged projection classifier, with threshold Θ = <paramref name="threshold"/>.</summary>
    public static TripleStagedTrainer TripleStaged(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features, double threshold = 0.45, IDataView? validationSet = null)
        => catalog.TripleStaged(new TripleStagedTrainer.Options
        {
            LabelColumnName = labelColumnName, FeatureColumnName = featureColumnName, Threshold = threshold, ValidationSet = validationSet,
        });

    public static TripleStagedTrainer TripleStaged(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, TripleStagedTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TripleStagedTrainer(RobustEnvironment.FromCatalog(catalog), options);
    }
}
