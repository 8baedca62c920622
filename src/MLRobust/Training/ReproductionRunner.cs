using System.Diagnostics;
using MLRobust.ML;
using MLRobust.ML.Data;
using MLRobust.Models;
using MLRobust.Rendering.Scenes;
using MLRobust.Trainers;

namespace MLRobust.Training;

/// <summary>
/// Reproduces the clean-error comparison of "The Artificial Mind's Eye" (PAPERS.md §1, Table 1): renders the built-in models
/// (monkey, penguin, aeroplane + None) over procedural backgrounds, trains the direct classifier, the direct classifier with
/// parameters and the triple-staged network, and measures their error on held-out renders, the triple-staged one at each Θ.
/// </summary>
public static class ReproductionRunner
{
    /// <summary>The paper's Table 1: clean error rates.</summary>
    public const double PaperDirect = 0.0001, PaperDirectWithParameters = 0.0001;

    /// <summary>The paper's triple-staged clean error rates by Θ.</summary>
    public static readonly IReadOnlyDictionary<double, double> PaperTripleStaged = new Dictionary<double, double> { [0.2] = 0.0134, [0.45] = 0.0057, [0.7] = 0.0309 };

    public const string DirectName = "direct", DirectWithParametersName = "direct + parameters", TripleStagedName = "triple-staged";

    public static ReproductionResult Run(MLContext ml, ReproductionOptions options)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(options);
        var paper = options.Scale == ReproductionScale.Paper;
        var trainRows = options.TrainRows ?? (paper ? 160_000 : 2_000);
        var testRows = options.TestRows ?? (paper ? 40_000 : 400);
        if (trainRows < 8 || testRows < 4) throw new ArgumentOutOfRangeException(nameof(options), $"need at least 8 training and 4 test rows, got {trainRows} and {testRows}");
        if (options.Thresholds is null || options.Thresholds.Length == 0 || options.Thresholds.Any(t => !(t >= 0 && t <= 1)))
            throw new ArgumentOutOfRangeException(nameof(options), "the thresholds must be in [0, 1]");
        var clock = Stopwatch.StartNew();
        void Log(string message) => options.Log?.Invoke(message);

        Log($"rendering {trainRows} training and {testRows} test scenes of {options.ImageSize}x{options.ImageSize}");
        IDataView Scenes(int count, int seed)
        {
            var view = ml.Data.LoadFromSyntheticScenes(new SyntheticSceneOptions { Count = count, ImageSize = options.ImageSize, Seed = seed });
            // Small runs keep their renders in memory (about 50 KB a row); the paper's 160,000 rows are rendered again each epoch.
            return paper ? view : ml.Data.Cache(view);
        }
        var train = Scenes(trainRows, options.Seed);
        var test = Scenes(testRows, options.Seed + 1);

        var times = new Dictionary<string, TimeSpan>();
        var rows = new List<ReproductionRow>();

        T Train<T>(string name, Func<T> fit)
        {
            Log($"training {name}");
            var watch = Stopwatch.StartNew();
            var model = fit();
            times[name] = watch.Elapsed;
            return model;
        }

        void Configure(TrainingOptions o, string name)
        {
            o.Seed = options.Seed;
            o.CancellationToken = options.CancellationToken;
            o.Progress = p => options.Progress?.Invoke(name, p);
            if (options.CheckpointFolder is { } folder) o.CheckpointDirectory = Path.Combine(folder, name.Replace(" + ", "-").Replace(' ', '-'));
        }

        foreach (var withParameters in new[] { false, true })
        {
            var name = withParameters ? DirectWithParametersName : DirectName;
            var o = withParameters ? new DirectWithParametersTrainer.Options() : new DirectClassifierTrainer.Options();
            o.FeatureColumnName = SceneColumns.Image;
            o.NoneLabel = SceneColumns.NoneLabel;
            Configure(o, name);
            if (paper)
            {
                o.UsePaperSolver();
                o.ReferenceInitialisation = true;
            }
            else o.Classifier = new StageOptions(400, 32, new SolverOptions { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, WeightDecay = 0 });
            using var model = Train(name, () => withParameters
                ? ml.MulticlassClassification.Trainers.DirectWithParameters((DirectWithParametersTrainer.Options)o).Fit(train)
                : ml.MulticlassClassification.Trainers.DirectClassifier(o).Fit(train));
            Save(ml, model, train, options.ModelFolder, withParameters ? "direct-parameters.zip" : "direct.zip");
            var (errors, count) = DirectErrors(model.Transform(test), model.PredictedLabelColumnName);
            rows.Add(new ReproductionRow(name, null, errors, count, withParameters ? PaperDirectWithParameters : PaperDirect));
        }

        var t = new TripleStagedTrainer.Options { FeatureColumnName = SceneColumns.Image, NoneLabel = SceneColumns.NoneLabel };
        Configure(t, TripleStagedName);
        if (paper)
        {
            t.UsePaperSolvers();
            t.ReferenceInitialisation = true;
        }
        else
        {
            var adam = new SolverOptions { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, WeightDecay = 0 };
            t.Estimator = new StageOptions(400, 32, adam.Clone());
            t.Projector = new StageOptions(800, 32, adam.Clone());
            t.Comparator = new StageOptions(300, 256, adam.Clone());
            t.ComparatorImagesPerDraw = 16;
        }
        using (var triple = Train(TripleStagedName, () => ml.MulticlassClassification.Trainers.TripleStaged(t).Fit(train)))
        {
            Save(ml, triple, train, options.ModelFolder, "triple-staged.zip");
            Log("scoring the test renders with the triple-staged network");
            var (similarities, labels) = ReadSimilarities(triple.Transform(test), triple);
            foreach (var theta in options.Thresholds)
            {
                var errors = 0;
                for (var i = 0; i < labels.Length; i++)
                    if (ClassDecision.Decide(similarities[i], theta, triple.Network.NoneClassIndex) != labels[i]) errors++;
                rows.Add(new ReproductionRow(TripleStagedName, theta, errors, labels.Length, PaperTripleStaged.TryGetValue(theta, out var p) ? p : double.NaN));
            }
        }
        return new ReproductionResult(rows, options.Scale, trainRows, testRows, options.ImageSize, times, clock.Elapsed);
    }

    private static void Save(MLContext ml, ITransformer model, IDataView train, string? folder, string file)
    {
        if (folder is null) return;
        Directory.CreateDirectory(folder);
        ml.Model.Save(model, train.Schema, Path.Combine(folder, file));
    }

    /// <summary>Rows whose predicted label differs from the label (rows without a label are skipped).</summary>
    private static (int errors, int count) DirectErrors(IDataView scored, string predictedLabel)
    {
        var label = scored.Schema[SceneColumns.Label];
        var predicted = scored.Schema[predictedLabel];
        using var cursor = scored.GetRowCursor(label, predicted);
        var readLabel = cursor.GetGetter<uint>(label);
        var readPredicted = cursor.GetGetter<uint>(predicted);
        int errors = 0, count = 0;
        uint l = 0, p = 0;
        while (cursor.MoveNext())
        {
            readLabel(ref l);
            if (l == 0) continue;
            readPredicted(ref p);
            count++;
            if (p != l) errors++;
        }
        return (errors, count);
    }

    /// <summary>The per-class similarity scores of every labelled row, and its class.</summary>
    private static (float[][] similarities, int[] labels) ReadSimilarities(IDataView scored, TripleStagedTransformer model)
    {
        var label = scored.Schema[SceneColumns.Label];
        var similarity = scored.Schema[model.Columns.SimilarityScores];
        using var cursor = scored.GetRowCursor(label, similarity);
        var readLabel = cursor.GetGetter<uint>(label);
        var readSimilarity = cursor.GetGetter<VBuffer<float>>(similarity);
        var scores = new List<float[]>();
        var labels = new List<int>();
        uint l = 0;
        var buffer = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            readLabel(ref l);
            if (l == 0) continue;
            readSimilarity(ref buffer);
            scores.Add(buffer.DenseValues().ToArray());
            labels.Add((int)l - 1);
        }
        return (scores.ToArray(), labels.ToArray());
    }
}
