using MLRobust.ImageData;
using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;
using MLRobust.Models;
using MLRobust.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Trainers;

/// <summary>
/// Trains the direct-classification baseline (AlexNet-small, PAPERS.md §1) on a data view with a square greyscale image column
/// (<c>Features</c>: Single vector of S·S values, S ≥ 17) and a key label (<c>Label</c>). Made by
/// <c>ml.MulticlassClassification.Trainers.DirectClassifier(...)</c>.
/// </summary>
public sealed class DirectClassifierTrainer : IEstimator<DirectClassifierTransformer>
{
    /// <summary>The trainer's options: columns, architecture, and the training options it inherits (iterations, batch size,
    /// solver, seed, progress, validation, cancellation, checkpoints).</summary>
    public class Options : DirectTrainingOptions
    {
        public string LabelColumnName = DefaultColumnNames.Label;
        public string FeatureColumnName = DefaultColumnNames.Features;
        public string ScoreColumnName = DefaultColumnNames.Score;
        public string PredictedLabelColumnName = DefaultColumnNames.PredictedLabel;

        /// <summary>The label value meaning "no object" (recorded for attacks and reports; the pose head masks its rows). Null: none.</summary>
        public string? NoneLabel = "None";

        /// <summary>Rows scored on the validation reports (same columns as the training data); null: no validation.</summary>
        public IDataView? ValidationSet;

        /// <summary>Layer widths; null: the paper's.</summary>
        public AlexNetSmallWidths? Widths;

        public double Dropout = 0.5;

        /// <summary>The reference code's Gaussian initialisation (true) or PyTorch's default (false, which learns faster in short runs).</summary>
        public bool ReferenceInitialisation;

        /// <summary>Rows per network call when the fitted transformer scores.</summary>
        public int ScoringBatchSize = 64;

        /// <summary>Your own TorchSharp classifier, trained in place of AlexNet-small: it takes images <c>[N, 1, S, S]</c> (the
        /// feature column's S·S values, as they are) and returns logits <c>[N, K]</c>, K = the label's key count (None included).
        /// Widths, Dropout and ReferenceInitialisation then do not apply. The fitted transformer scores with this module (and
        /// disposes it with itself). Null: AlexNet-small.</summary>
        public nn.Module<Tensor, Tensor>? Network;

        /// <summary>The name <see cref="Network"/> is saved under in model files; loading one needs
        /// <see cref="CustomNetworks.Register"/> under the same name. Null: the network's type name.</summary>
        public string? NetworkName;
    }

    private readonly RobustEnvironment _env;
    private readonly Options _options;

    internal DirectClassifierTrainer(RobustEnvironment env, Options options)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        DirectTrainerCore.CheckNames(options, null);
    }

    public DirectClassifierTransformer Fit(IDataView input) => DirectTrainerCore.Fit(_env, _options, null, input, nameof(DirectClassifierTrainer));

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => DirectTrainerCore.GetOutputSchema(_options, null, inputSchema);
}

/// <summary>
/// Trains the direct classifier with a pose head (PAPERS.md §1): the columns of <see cref="DirectClassifierTrainer"/> plus
/// <c>Parameters</c> (Single vector of the P pose values); the pose loss is masked out on rows labelled <see cref="DirectClassifierTrainer.Options.NoneLabel"/>.
/// Made by <c>ml.MulticlassClassification.Trainers.DirectWithParameters(...)</c>.
/// </summary>
public sealed class DirectWithParametersTrainer : IEstimator<DirectClassifierTransformer>
{
    public sealed class Options : DirectClassifierTrainer.Options
    {
        public string ParametersColumnName = "Parameters";
    }

    private readonly RobustEnvironment _env;
    private readonly Options _options;

    internal DirectWithParametersTrainer(RobustEnvironment env, Options options)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        DirectTrainerCore.CheckNames(options, options.ParametersColumnName);
        if (options.Network is not null)
            throw new ArgumentException("DirectWithParameters trains AlexNet-small with a pose head; train your own network with DirectClassifier", nameof(options));
    }

    public DirectClassifierTransformer Fit(IDataView input) => DirectTrainerCore.Fit(_env, _options, _options.ParametersColumnName, input, nameof(DirectWithParametersTrainer));

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => DirectTrainerCore.GetOutputSchema(_options, _options.ParametersColumnName, inputSchema);
}

/// <summary>What both direct trainers do.</summary>
internal static class DirectTrainerCore
{
    internal static void CheckNames(DirectClassifierTrainer.Options o, string? parameters)
    {
        foreach (var (value, name) in new[] { (o.LabelColumnName, nameof(o.LabelColumnName)), (o.FeatureColumnName, nameof(o.FeatureColumnName)),
                     (o.ScoreColumnName, nameof(o.ScoreColumnName)), (o.PredictedLabelColumnName, nameof(o.PredictedLabelColumnName)), (parameters ?? "-", "ParametersColumnName") })
            if (string.IsNullOrEmpty(value)) throw new ArgumentException($"{name} must be a column name", name);
        if (o.ScoringBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o.ScoringBatchSize), o.ScoringBatchSize, "must be positive");
        if (o.Dropout < 0 || o.Dropout >= 1) throw new ArgumentOutOfRangeException(nameof(o.Dropout), o.Dropout, "must be in [0, 1)");
        // A bad ε or ratio is reported when the trainer is made, not minutes into Fit.
        o.Adversarial?.Validate();
    }

    internal static SchemaShape GetOutputSchema(DirectClassifierTrainer.Options o, string? parameters, SchemaShape input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TrainerSchema.SingleVector(input, o.FeatureColumnName, "feature", orImage: true);
        TrainerSchema.Key(input, o.LabelColumnName);
        if (parameters is not null) TrainerSchema.SingleVector(input, parameters, "parameters");
        return TrainerSchema.WithClassifierOutputs(input, o.ScoreColumnName, o.PredictedLabelColumnName);
    }

    internal static DirectClassifierTransformer Fit(RobustEnvironment env, DirectClassifierTrainer.Options o, string? parametersColumn, IDataView input, string trainer)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(o, parametersColumn, SchemaShapes.FromSchema(input.Schema));
        var size = TrainerSchema.ImageSize(input.Schema, o.FeatureColumnName);
        if (size < 17 && o.Network is null) throw new SchemaMismatchException("inputSchema", "feature", o.FeatureColumnName, "images of at least 17x17 pixels (AlexNet-small's three pools)", $"{size}x{size}");
        var classes = ClassLabels.FromLabelColumn(TrainerSchema.Label(input.Schema, o.LabelColumnName), o.NoneLabel);
        var parameterCount = parametersColumn is null ? 0 : TrainerSchema.VectorSize(input.Schema, parametersColumn, "parameters");
        var columns = new SampleColumns(o.FeatureColumnName, o.LabelColumnName, parametersColumn);
        if (o.ValidationSet is not null) TrainerSchema.SameColumns(input.Schema, o.ValidationSet, new[] { o.FeatureColumnName, o.LabelColumnName, parametersColumn });

        var options = (DirectClassifierTrainer.Options)o.ShallowCopy();
        // The shallow copy would share these with the caller; the run keeps its own.
        options.Adversarial = o.Adversarial?.Clone();
        options.Augmentations = o.Augmentations?.ToArray();
        TrainerRun.Prepare(env, options, trainer);
        var device = options.Device!;
        TorchSharp.torch.manual_seed(options.EffectiveSeed);
        nn.Module<Tensor, Tensor> network = o.Network is not null
            ? new DirectClassifier(o.Network, classes.Count, classes.NoneClassIndex, size, o.NetworkName)
            : parametersColumn is null
                ? new DirectClassifier(classes.Count, classes.NoneClassIndex, size, o.Widths, o.Dropout, o.ReferenceInitialisation)
                : new DirectWithParameters(classes.Count, parameterCount, classes.NoneClassIndex, size, o.Widths, o.Dropout, o.ReferenceInitialisation);
        try
        {
            using var train = new DataViewSampleSource(input, columns, classes.Count, classes.NoneClassIndex, size, parameterCount, options.EffectiveSeed, device);
            using var validation = o.ValidationSet is null ? null
                : new DataViewSampleSource(o.ValidationSet, columns, classes.Count, classes.NoneClassIndex, size, parameterCount, options.EffectiveSeed, device);
            if (network is DirectClassifier d) DirectTraining.Train(d, train, options, validation);
            else DirectTraining.Train((DirectWithParameters)network, train, options, validation);
            return new DirectClassifierTransformer(env, network, classes, o.FeatureColumnName, o.ScoreColumnName, o.PredictedLabelColumnName, o.ScoringBatchSize);
        }
        catch
        {
            // Your own network stays yours when training fails.
            if (o.Network is null) network.Dispose();
            throw;
        }
    }
}
