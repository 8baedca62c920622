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
/// A trained triple-staged projection classifier. Adds <c>Score</c> (one entry per class: the object classes' similarity scores
/// and, in the None slot, Θ — so that its argmax, which ML.NET's evaluator takes, is the Θ decision), <c>PredictedLabel</c>, and
/// for inspection the per-class similarity scores, the estimated pose and the projected image of the best-scoring object class
/// (also when the decision is None). <see cref="Threshold"/> (Θ) can be changed at any time; views already returned by
/// <see cref="Transform"/> use the value current when their cursors score. <see cref="Network"/> is the merged differentiable
/// network for gradient attacks. Dispose it to free the weights.
/// </summary>
public sealed class TripleStagedTransformer : ITransformer, IDisposable
{
    internal const string LoaderSignature = "MLRobustTripleStaged";
    internal const int Version = 1;

    private readonly RobustEnvironment _env;
    private readonly Device _device;
    private int _scoringBatchSize;

    internal TripleStagedTransformer(RobustEnvironment env, TripleStagedNetwork network, ClassLabels classes, TripleStagedColumns columns, int scoringBatchSize)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        Network = network;
        Classes = classes;
        Columns = columns;
        ScoringBatchSize = scoringBatchSize;
        _device = env.Device;
        Network.to(_device);
        Network.eval();
    }

    /// <summary>The merged network, in evaluation mode.</summary>
    public TripleStagedNetwork Network { get; }

    /// <summary>The merged network as the attacks see it.</summary>
    public IDifferentiableClassifier Classifier => Network;

    public ClassLabels Classes { get; }
    public TripleStagedColumns Columns { get; }

    /// <summary>Θ: None when every class score is below it.</summary>
    public double Threshold
    {
        get => Network.Threshold;
        set => Network.Threshold = value;
    }

    public int ScoringBatchSize
    {
        get => _scoringBatchSize;
        set => _scoringBatchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(ScoringBatchSize), value, "must be positive");
    }

    public long ImageSize => Network.InputSize;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        TrainerSchema.ImageOfSize(inputSchema, Columns.Features, (int)ImageSize, "feature");
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
        TrainerSchema.ImageOfSize(input.Schema, Columns.Features, (int)ImageSize, "feature");
        return new BatchScoringDataView(input, new Scorer(this));
    }

    public void Dispose() => Network.Dispose();

    private sealed class Scorer : BatchScorer
    {
        private const int ScoreColumn = 0, PredictedColumn = 1, SimilarityColumn = 2, PoseColumn = 3, ProjectionColumn = 4;
        private readonly TripleStagedTransformer _owner;

        public Scorer(TripleStagedTransformer owner)
        {
            _owner = owner;
            var c = owner.Columns;
            var s = (int)owner.ImageSize;
            OutputColumns = new[]
            {
                owner.Classes.ScoreColumn(c.Score),
                owner.Classes.PredictedLabelColumn(c.PredictedLabel),
                new DataViewSchema.DetachedColumn(c.SimilarityScores, new VectorDataViewType(NumberDataViewType.Single, owner.Network.ObjectClassCount),
                    ClassLabels.SlotNameAnnotations(owner.Classes.ObjectNames)),
                new DataViewSchema.DetachedColumn(c.EstimatedPose, new VectorDataViewType(NumberDataViewType.Single, owner.Network.ParameterCount)),
                new DataViewSchema.DetachedColumn(c.ProjectedImage, new VectorDataViewType(NumberDataViewType.Single, 1, s, s)),
            };
        }

        public override string InputColumnName => _owner.Columns.Features;
        public override int InputLength => (int)(_owner.ImageSize * _owner.ImageSize);
        public override DataViewSchema.DetachedColumn[] OutputColumns { get; }
        public override int BatchSize => _owner.ScoringBatchSize;

        public override void Score(float[] inputs, int count, ScoredBatch outputs) =>
            ModelWeights.WithBatch(inputs, count, _owner.ImageSize, _owner._device, batch =>
            {
                var network = _owner.Network;
                var theta = network.Threshold;
                var none = network.NoneClassIndex;
                var k = network.ObjectClassCount;
                var p = network.ParameterCount;
                var pixels = InputLength;
                var run = network.Run(batch);
                var scores = run.ClassScores.cpu().data<float>().ToArray();
                var needPose = outputs.Active[PoseColumn];
                var needImage = outputs.Active[ProjectionColumn];
                var poses = needPose ? run.Parameters.cpu().data<float>().ToArray() : null;
                var images = needImage ? run.ProjectedImages.cpu().data<float>().ToArray() : null;
                for (var r = 0; r < count; r++)
                {
                    var row = scores.AsSpan().Slice(r * k, k);
                    if (outputs.Vectors[ScoreColumn] is not null) ClassDecision.FillScoreRow(row, theta, none, outputs.Vector(ScoreColumn, r));
                    if (outputs.Keys[PredictedColumn] is { } keys) keys[r] = (uint)ClassDecision.Decide(row, theta, none) + 1;
                    if (outputs.Vectors[SimilarityColumn] is not null) row.CopyTo(outputs.Vector(SimilarityColumn, r));
                    var best = 0;
                    for (var j = 1; j < k; j++) if (row[j] > row[best]) best = j;
                    if (poses is not null) poses.AsSpan().Slice((r * k + best) * p, p).CopyTo(outputs.Vector(PoseColumn, r));
                    if (images is not null) images.AsSpan().Slice((r * k + best) * pixels, pixels).CopyTo(outputs.Vector(ProjectionColumn, r));
                }
            });
    }

    // *** Format ***
    // parameters.json: the architecture, Θ, the classes and the column names; weights.safetensors: the merged network's state_dict.
    private sealed record Parameters(string[] ClassNames, int NoneClassIndex, long ImageSize, int ParameterCount, double Threshold,
        AlexNetSmallWidths EstimatorWidths, ProjectorWidths ProjectorWidths, ComparatorWidths ComparatorWidths, double Dropout,
        TripleStagedColumns Columns, int ScoringBatchSize);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var writer = new ComponentWriter(LoaderSignature, Version);
        writer.SaveParameters(new Parameters(Classes.Names.ToArray(), Classes.NoneClassIndex, ImageSize, Network.ParameterCount, Threshold,
            Network.Estimator.Widths, Network.Projector.Widths, Network.Comparator.Widths, Network.Estimator.Dropout, Columns, ScoringBatchSize));
        ModelWeights.Save(writer, Network);
        writer.WriteTo(ctx, typeof(TripleStagedTransformer));
    }

    internal static TripleStagedTransformer Create(ComponentReader ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        if (p.ClassNames is null || p.ClassNames.Length < 2) throw ctx.Error("it needs at least 2 class names");
        if (p.EstimatorWidths is null || p.ProjectorWidths is null || p.ComparatorWidths is null || p.Columns is null || !p.Columns.IsComplete)
            throw ctx.Error("its parameters are incomplete");
        if (p.ImageSize < 17 || p.ImageSize > 4096) throw ctx.Error($"image size {p.ImageSize} is out of range");
        TripleStagedNetwork network;
        ClassLabels classes;
        try
        {
            classes = new ClassLabels(p.ClassNames, p.NoneClassIndex);
            if (classes.NoneClassIndex < 0) throw new ArgumentException("the None class is missing");
            network = new TripleStagedNetwork(classes.Count - 1, p.ParameterCount, p.ImageSize, classes.NoneClassIndex, p.Threshold,
                p.EstimatorWidths, p.ProjectorWidths, p.ComparatorWidths, p.Dropout, referenceInitialisation: false);
        }
        catch (ArgumentException ex)
        {
            throw ctx.Error(ex.Message, ex);
        }
        var device = ctx.Environment.Device;
        network.to(device);
        ModelWeights.Load(ctx, network, device);
        return new TripleStagedTransformer(ctx.Environment, network, classes, p.Columns, Math.Max(1, p.ScoringBatchSize));
    }
}

/// <summary>The column names a <see cref="TripleStagedTransformer"/> reads and writes.</summary>
public sealed record TripleStagedColumns(string Features, string Score, string PredictedLabel, string SimilarityScores, string EstimatedPose, string ProjectedImage)
{
    internal bool IsComplete => new[] { Features, Score, PredictedLabel, SimilarityScores, EstimatedPose, ProjectedImage }.All(n => !string.IsNullOrEmpty(n));
}
