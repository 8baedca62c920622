using MLRobust.Persistence;
using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Models;
using TorchSharp;
using MLRobust.Trainers.Scoring;
using static TorchSharp.torch;

namespace MLRobust.Trainers;

/// <summary>
/// A trained direct classifier (with or without the pose head). Adds <c>Score</c> (the softmax probabilities, one per class,
/// slot-named by class) and <c>PredictedLabel</c> (a key over the label's classes), scoring rows in batches on the context's
/// device. <see cref="Classifier"/> is the network for gradient attacks. Dispose it to free the weights.
/// </summary>
public sealed class DirectClassifierTransformer : ITransformer, IDisposable
{
    internal const string LoaderSignature = "MLRobustDirectClassifier";
    internal const int Version = 1;

    private readonly RobustEnvironment _env;
    private readonly nn.Module<Tensor, Tensor> _network;
    private readonly Device _device;
    private int _scoringBatchSize;

    internal DirectClassifierTransformer(RobustEnvironment env, nn.Module<Tensor, Tensor> network, ClassLabels classes, string featureColumnName,
        string scoreColumnName, string predictedLabelColumnName, int scoringBatchSize)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        _network = network;
        _device = env.Device;
        Classes = classes;
        FeatureColumnName = featureColumnName;
        ScoreColumnName = scoreColumnName;
        PredictedLabelColumnName = predictedLabelColumnName;
        ScoringBatchSize = scoringBatchSize;
        _network.to(_device);
        _network.eval();
    }

    /// <summary>The network, in evaluation mode: a <see cref="DirectClassifier"/> or a <see cref="DirectWithParameters"/>.</summary>
    public IDifferentiableClassifier Classifier => (IDifferentiableClassifier)_network;

    public ClassLabels Classes { get; }
    public string FeatureColumnName { get; }
    public string ScoreColumnName { get; }
    public string PredictedLabelColumnName { get; }

    /// <summary>Rows scored per network call.</summary>
    public int ScoringBatchSize
    {
        get => _scoringBatchSize;
        set => _scoringBatchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ScoringBatchSize), value, "must be positive");
    }

    /// <summary>The side S of the images the network reads.</summary>
    public long ImageSize => Classifier.InputSize;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TrainerSchema.ImageOfSize(inputSchema, FeatureColumnName, (int)ImageSize, "feature");
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumns(new Scorer(this).OutputColumns);
        return builder.ToSchema();
    }

    /// <summary>True: <see cref="GetRowToRowMapper"/> scores one row at a time (what PredictionEngine uses);
    /// <see cref="Transform"/> scores in batches.</summary>
    public bool IsRowToRowMapper => true;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        GetOutputSchema(inputSchema);
        return new ColumnMapperRowToRowMapper(inputSchema, new ScorerColumnMapper(new Scorer(this), inputSchema));
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        TrainerSchema.ImageOfSize(input.Schema, FeatureColumnName, (int)ImageSize, "feature");
        return new BatchScoringDataView(input, new Scorer(this));
    }

    public void Dispose() => _network.Dispose();

    private sealed class Scorer : BatchScorer
    {
        private readonly DirectClassifierTransformer _owner;

        public Scorer(DirectClassifierTransformer owner)
        {
            _owner = owner;
            OutputColumns = new[] { owner.Classes.ScoreColumn(owner.ScoreColumnName), owner.Classes.PredictedLabelColumn(owner.PredictedLabelColumnName) };
        }

        public override string InputColumnName => _owner.FeatureColumnName;
        public override int InputLength => (int)(_owner.ImageSize * _owner.ImageSize);
        public override DataViewSchema.DetachedColumn[] OutputColumns { get; }
        public override int BatchSize => _owner.ScoringBatchSize;

        public override void Score(float[] inputs, int count, ScoredBatch outputs) =>
            ModelWeights.WithBatch(inputs, count, _owner.ImageSize, _owner._device, batch =>
            {
                var logits = _owner._network.call(batch);
                var probabilities = nn.functional.softmax(logits, 1).cpu().data<float>().ToArray();
                var k = _owner.Classes.Count;
                for (var r = 0; r < count; r++)
                {
                    var row = probabilities.AsSpan().Slice(r * k, k);
                    if (outputs.Vectors[0] is { } score) row.CopyTo(score.AsSpan(r * k, k));
                    if (outputs.Keys[1] is { } keys)
                    {
                        var best = 0;
                        for (var c = 1; c < k; c++) if (row[c] > row[best]) best = c;
                        keys[r] = (uint)best + 1;
                    }
                }
            });
    }

    // *** Format ***
    // parameters.json: the architecture, the classes and the column names; weights.safetensors: the network's state_dict.
    // Kind "Custom": your own network, rebuilt on load by the factory registered under NetworkName (Widths is null).
    private sealed record Parameters(string Kind, string[] ClassNames, int NoneClassIndex, long ImageSize, int ParameterCount,
        AlexNetSmallWidths? Widths, double Dropout, string FeatureColumnName, string ScoreColumnName, string PredictedLabelColumnName, int ScoringBatchSize,
        string? NetworkName = null);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var writer = new ComponentWriter(LoaderSignature, Version);
        var (kind, parameters, widths, dropout) = _network switch
        {
            DirectClassifier { CustomNetworkName: not null } => ("Custom", 0, null, 0.0),
            DirectClassifier d => ("Direct", 0, d.Widths, d.Dropout ?? 0),
            DirectWithParameters d => ("DirectWithParameters", d.ParameterCount, (AlexNetSmallWidths?)d.Widths, d.Dropout),
            _ => throw new InvalidOperationException($"unexpected network {_network.GetType().Name}"),
        };
        writer.SaveParameters(new Parameters(kind, Classes.Names.ToArray(), Classes.NoneClassIndex, ImageSize, parameters, widths, dropout,
            FeatureColumnName, ScoreColumnName, PredictedLabelColumnName, ScoringBatchSize, (_network as DirectClassifier)?.CustomNetworkName));
        ModelWeights.Save(writer, _network);
        writer.WriteTo(ctx, typeof(DirectClassifierTransformer));
    }

    internal static DirectClassifierTransformer Create(ComponentReader ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        if (p.ClassNames is null || p.ClassNames.Length < 2) throw ctx.Error("it needs at least 2 class names");
        if ((p.Widths is null && p.Kind != "Custom") || string.IsNullOrEmpty(p.FeatureColumnName) || string.IsNullOrEmpty(p.ScoreColumnName) || string.IsNullOrEmpty(p.PredictedLabelColumnName))
            throw ctx.Error("its parameters are incomplete");
        if (p.ImageSize < 17 || p.ImageSize > 4096) throw ctx.Error($"image size {p.ImageSize} is out of range");
        ClassLabels classes;
        try
        {
            classes = new ClassLabels(p.ClassNames, p.NoneClassIndex);
        }
        catch (ArgumentException ex)
        {
            throw ctx.Error(ex.Message, ex);
        }
        nn.Module<Tensor, Tensor> network = p.Kind switch
        {
            "Direct" => new DirectClassifier(classes.Count, classes.NoneClassIndex, p.ImageSize, p.Widths, p.Dropout, referenceInitialisation: false),
            "Custom" when !string.IsNullOrEmpty(p.NetworkName) => CustomClassifier(ctx, p.NetworkName, classes, p.ImageSize),
            "DirectWithParameters" when p.ParameterCount >= 1 => new DirectWithParameters(classes.Count, p.ParameterCount, classes.NoneClassIndex, p.ImageSize, p.Widths, p.Dropout, referenceInitialisation: false),
            _ => throw ctx.Error($"unknown network kind '{p.Kind}' (or no pose parameters)"),
        };
        var device = ctx.Environment.Device;
        network.to(device);
        ModelWeights.Load(ctx, network, device);
        return new DirectClassifierTransformer(ctx.Environment, network, classes, p.FeatureColumnName, p.ScoreColumnName, p.PredictedLabelColumnName,
            Math.Max(1, p.ScoringBatchSize));
    }

    private static DirectClassifier CustomClassifier(ComponentReader ctx, string name, ClassLabels classes, long imageSize)
    {
        try
        {
            return new DirectClassifier(CustomNetworks.Create(name), classes.Count, classes.NoneClassIndex, imageSize, name);
        }
        catch (InvalidOperationException ex)
        {
            throw ctx.Error(ex.Message, ex);
        }
    }
}
