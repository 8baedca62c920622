using MLRobust.ImageData;
using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;
using MLRobust.Models;
using MLRobust.Training;

namespace MLRobust.Trainers;

/// <summary>
/// Trains the triple-staged projection classifier (PAPERS.md §1) stage by stage on a data view with the synthetic scenes'
/// columns: <c>Features</c> (square greyscale image, S·S Single values, S a multiple of 8 and ≥ 24), <c>Label</c> (a key whose
/// values include <see cref="Options.NoneLabel"/>), <c>Parameters</c> (P pose values in [0, 1]), <c>CleanImage</c> and
/// <c>Alpha</c> (S·S values each). Made by <c>ml.MulticlassClassification.Trainers.TripleStaged(...)</c>.
/// </summary>
public sealed class TripleStagedTrainer : IEstimator<TripleStagedTransformer>
{
    public sealed class Options : TripleStagedTrainingOptions
    {
        public string LabelColumnName = DefaultColumnNames.Label;
        public string FeatureColumnName = DefaultColumnNames.Features;
        public string ParametersColumnName = "Parameters";
        public string CleanImageColumnName = "CleanImage";
        public string AlphaColumnName = "Alpha";
        public string ScoreColumnName = DefaultColumnNames.Score;
        public string PredictedLabelColumnName = DefaultColumnNames.PredictedLabel;
        public string SimilarityScoresColumnName = "SimilarityScores";
        public string EstimatedPoseColumnName = "EstimatedPose";
        public string ProjectedImageColumnName = "ProjectedImage";

        /// <summary>The label value meaning "no object"; it must be one of the label's key values.</summary>
        public string NoneLabel = "None";

        /// <summary>Θ (changeable on the fitted transformer); the paper tries 0.2, 0.45 and 0.7.</summary>
        public double Threshold = 0.45;

        public IDataView? ValidationSet;
        public AlexNetSmallWidths? EstimatorWidths;
        public ProjectorWidths? ProjectorWidths;
        public ComparatorWidths? ComparatorWidths;
        public double Dropout = 0.5;
        public bool ReferenceInitialisation;
        public int ScoringBatchSize = 32;

        /// <summary>A trained direct classifier or direct + parameters model (AlexNet-small with <see cref="EstimatorWidths"/>, same
        /// image size) that starts the pose estimator: transfer learning, see <see cref="PoseEstimator.InitialiseFrom(DirectClassifier)"/>
        /// and <see cref="PoseEstimator.InitialiseFrom(DirectWithParameters)"/> (which also takes over the pose head). Null (the
        /// default and the paper): the estimator starts from its own initialisation.</summary>
        public DirectClassifierTransformer? EstimatorWarmStart;
    }

    private readonly RobustEnvironment _env;
    private readonly Options _options;

    internal TripleStagedTrainer(RobustEnvironment env, Options options)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        foreach (var (value, name) in Names(options))
            if (string.IsNullOrEmpty(value)) throw new ArgumentException($"{name} must be a column name", name);
        if (string.IsNullOrEmpty(options.NoneLabel)) throw new ArgumentException("NoneLabel must name the None class", nameof(options));
        if (!(options.Threshold >= 0 && options.Threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(options.Threshold), options.Threshold, "Θ must be in [0, 1]");
        if (options.ScoringBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options.ScoringBatchSize), options.ScoringBatchSize, "must be positive");
        if (options.Dropout < 0 || options.Dropout >= 1) throw new ArgumentOutOfRangeException(nameof(options.Dropout), options.Dropout, "must be in [0, 1)");
    }

    private static (string, string)[] Names(Options o) => new[]
    {
        (o.LabelColumnName, nameof(o.LabelColumnName)), (o.FeatureColumnName, nameof(o.FeatureColumnName)), (o.ParametersColumnName, nameof(o.ParametersColumnName)),
        (o.CleanImageColumnName, nameof(o.CleanImageColumnName)), (o.AlphaColumnName, nameof(o.AlphaColumnName)), (o.ScoreColumnName, nameof(o.ScoreColumnName)),
        (o.PredictedLabelColumnName, nameof(o.PredictedLabelColumnName)), (o.SimilarityScoresColumnName, nameof(o.SimilarityScoresColumnName)),
        (o.EstimatedPoseColumnName, nameof(o.EstimatedPoseColumnName)), (o.ProjectedImageColumnName, nameof(o.ProjectedImageColumnName)),
    };

    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var o = _options;
        TrainerSchema.SingleVector(inputSchema, o.FeatureColumnName, "feature", orImage: true);
        TrainerSchema.Key(inputSchema, o.LabelColumnName);
        TrainerSchema.SingleVector(inputSchema, o.ParametersColumnName, "parameters");
        TrainerSchema.SingleVector(inputSchema, o.CleanImageColumnName, "clean image");
        TrainerSchema.SingleVector(inputSchema, o.AlphaColumnName, "alpha");
        return TrainerSchema.WithClassifierOutputs(inputSchema, o.ScoreColumnName, o.PredictedLabelColumnName,
            o.SimilarityScoresColumnName, o.EstimatedPoseColumnName, o.ProjectedImageColumnName);
    }

    public TripleStagedTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        GetOutputSchema(SchemaShapes.FromSchema(input.Schema));
        var size = TrainerSchema.ImageSize(input.Schema, o.FeatureColumnName);
        var patch = (o.ComparatorWidths ?? new ComparatorWidths()).PatchSize;
        if (size < 24 || size % 8 != 0 || size < patch)
            throw new SchemaMismatchException("inputSchema", "feature", o.FeatureColumnName, $"images whose side is a multiple of 8, at least 24 and at least the patch size {patch}", $"{size}x{size}");
        TrainerSchema.ImageOfSize(input.Schema, o.CleanImageColumnName, size, "clean image");
        TrainerSchema.ImageOfSize(input.Schema, o.AlphaColumnName, size, "alpha");
        var parameterCount = TrainerSchema.VectorSize(input.Schema, o.ParametersColumnName, "parameters");
        var label = TrainerSchema.Label(input.Schema, o.LabelColumnName);
        var classes = ClassLabels.FromLabelColumn(label, o.NoneLabel);
        if (classes.NoneClassIndex < 0)
            throw new SchemaMismatchException("inputSchema", "label", o.LabelColumnName, $"a key whose values include the None class '{o.NoneLabel}'",
                $"{label.Type} with values [{string.Join(", ", classes.Names)}]");
        var columns = new SampleColumns(o.FeatureColumnName, o.LabelColumnName, o.ParametersColumnName, o.CleanImageColumnName, o.AlphaColumnName);
        if (o.ValidationSet is not null) TrainerSchema.SameColumns(input.Schema, o.ValidationSet, new[] { columns.Features, columns.Label, columns.Parameters, columns.CleanImage, columns.Alpha });

        var options = (Options)o.ShallowCopy();
        TrainerRun.Prepare(_env, options, nameof(TripleStagedTrainer));
        var device = options.Device!;
        TorchSharp.torch.manual_seed(options.EffectiveSeed);
        var network = new TripleStagedNetwork(classes.Count - 1, parameterCount, size, classes.NoneClassIndex, o.Threshold,
            o.EstimatorWidths, o.ProjectorWidths, o.ComparatorWidths, o.Dropout, o.ReferenceInitialisation);
        try
        {
            if (o.EstimatorWarmStart is { } warm)
            {
                switch (warm.Classifier)
                {
                    case DirectClassifier direct: network.Estimator.InitialiseFrom(direct); break;
                    case DirectWithParameters withParameters: network.Estimator.InitialiseFrom(withParameters); break;
                    default: throw new ArgumentException($"EstimatorWarmStart must hold a direct classifier or a direct + parameters model, not {warm.Classifier.GetType().Name}", nameof(Options.EstimatorWarmStart));
                }
            }
            using var train = new DataViewSampleSource(input, columns, classes.Count, classes.NoneClassIndex, size, parameterCount, options.EffectiveSeed, device);
            using var validation = o.ValidationSet is null ? null
                : new DataViewSampleSource(o.ValidationSet, columns, classes.Count, classes.NoneClassIndex, size, parameterCount, options.EffectiveSeed, device);
            TripleStagedTraining.Train(network, train, options, validation);
            return new TripleStagedTransformer(_env, network, classes,
                new TripleStagedColumns(o.FeatureColumnName, o.ScoreColumnName, o.PredictedLabelColumnName, o.SimilarityScoresColumnName, o.EstimatedPoseColumnName, o.ProjectedImageColumnName),
                o.ScoringBatchSize);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
