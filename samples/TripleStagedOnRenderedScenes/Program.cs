// Train and evaluate MLRobust's triple-staged classifier on rendered 3D scenes, next to a direct (AlexNet-small)
// baseline, with ML.NET's own splitting, caching, key-to-value mapping and multiclass evaluation.
//
//   dotnet run --project samples/TripleStagedOnRenderedScenes -c Release            (a few minutes)
//   dotnet run --project samples/TripleStagedOnRenderedScenes -c Release -- --smoke (seconds, tiny sizes)
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Models;
using MLRobust.Rendering.Scenes;
using MLRobust.Trainers;

namespace MLRobust.Samples.TripleStagedOnRenderedScenes;

public static class Program
{
    public static int Main(string[] args)
    {
        if (!SampleOptions.TryParse(args, out var options))
        {
            Console.Error.WriteLine("usage: TripleStagedOnRenderedScenes [--smoke]");
            return 2;
        }
        Run(options, Console.Out);
        return 0;
    }

    public static SampleResult Run(SampleOptions o, TextWriter log)
    {
        // Everything in ML.NET starts from an MLContext; its seed makes the run repeatable.
        var ml = new MLContext(seed: o.Seed);

        // 1. The data: a lazy IDataView of posed 3D models (monkey, penguin, aeroplane) rendered over random
        //    backgrounds, plus "None" rows showing a background alone. Columns: Image (the picture, Vector<Single, 1, S, S>
        //    in [0, 1]), Label (a key whose KeyValues are the class names), and what only training uses: CleanImage and
        //    Alpha (the object alone and its coverage) and Parameters (its pose).
        var scenes = ml.Data.LoadFromSyntheticScenes(new SyntheticSceneOptions { Count = o.Scenes, ImageSize = o.ImageSize, Seed = o.Seed });
        // Rows are rendered when a cursor reads them; the cache renders each once instead of on every training pass.
        var data = ml.Data.Cache(scenes);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: o.Seed);
        log.WriteLine($"{o.Scenes} scenes of {o.ImageSize}x{o.ImageSize}, classes {string.Join(", ", scenes.LabelNames)}");

        // 2. The triple-staged classifier (a pose estimator, a projector that draws each class's object in that pose,
        //    a comparator that scores image against projection; below threshold Θ for every class the answer is None).
        //    It reads its features from the image column; the other column names are the scenes' defaults.
        var tripleStagedOptions = new TripleStagedTrainer.Options
        {
            FeatureColumnName = "Image",
            Seed = o.Seed,
            Estimator = { Iterations = o.EstimatorIterations, BatchSize = o.BatchSize },
            Projector = { Iterations = o.ProjectorIterations, BatchSize = o.BatchSize },
            Comparator = { Iterations = o.ComparatorIterations, BatchSize = 4 * o.BatchSize }, // counts patches, not images
            Progress = p => log.WriteLine($"  {p}"),
            ProgressInterval = 250,
        };
        // The baseline: one network that maps the image straight to a class.
        var directOptions = new DirectClassifierTrainer.Options
        {
            FeatureColumnName = "Image",
            Seed = o.Seed,
            Classifier = { Iterations = o.DirectIterations, BatchSize = o.BatchSize },
        };
        if (o.Smoke) UseSmallNetworks(tripleStagedOptions, directOptions);

        // An estimator chain mixing MLRobust and ML.NET: the trainer adds Score and PredictedLabel (a key), and ML.NET's
        // MapKeyToValue turns that key into the class name.
        var pipeline = ml.MulticlassClassification.Trainers.TripleStaged(tripleStagedOptions)
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelName", "PredictedLabel"));
        log.WriteLine("Training the triple-staged classifier...");
        using var model = pipeline.Fit(split.TrainSet);

        // 3. Evaluation with ML.NET's evaluator: it reads Label, Score and PredictedLabel.
        var scored = model.Transform(split.TestSet);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Report("Triple-staged", metrics, log);
        var predictedNames = scored.GetColumn<string>("PredictedLabelName").Take(10).ToArray();
        log.WriteLine($"First test predictions: {string.Join(", ", predictedNames)}");
        // Θ can be changed on the trained model, no retraining: a higher Θ answers None more often.
        var tripleStaged = model.OfType<TripleStagedTransformer>().Single();
        foreach (var theta in new[] { 0.2, 0.7 })
        {
            tripleStaged.Threshold = theta;
            log.WriteLine($"  at Θ = {theta}: MicroAccuracy {ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet)).MicroAccuracy:P1}");
        }
        tripleStaged.Threshold = 0.45;

        log.WriteLine("Training the direct baseline...");
        using var direct = ml.MulticlassClassification.Trainers.DirectClassifier(directOptions).Fit(split.TrainSet);
        var directMetrics = ml.MulticlassClassification.Evaluate(direct.Transform(split.TestSet));
        Report("Direct baseline", directMetrics, log);

        return new SampleResult(metrics.MicroAccuracy, directMetrics.MicroAccuracy, scenes.LabelNames.ToArray(),
            scored.GetColumn<uint>("Label").Count(), predictedNames);
    }

    private static void Report(string name, MulticlassClassificationMetrics metrics, TextWriter log)
    {
        log.WriteLine($"{name}: MicroAccuracy {metrics.MicroAccuracy:P1}, MacroAccuracy {metrics.MacroAccuracy:P1}, LogLoss {metrics.LogLoss:F3}");
        log.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());
    }

    /// <summary>Narrower layers than the paper's, for the smoke run.</summary>
    private static void UseSmallNetworks(TripleStagedTrainer.Options tripleStaged, DirectClassifierTrainer.Options direct)
    {
        var small = new AlexNetSmallWidths(8, 16, 16, 16, 16, 64);
        tripleStaged.EstimatorWidths = small;
        tripleStaged.ProjectorWidths = new ProjectorWidths(64, 64, 64, 64, 32, 32, 16);
        tripleStaged.ComparatorWidths = new ComparatorWidths(10, 16, 16, 16);
        tripleStaged.ComparatorImagesPerDraw = 4;
        direct.Widths = small;
    }
}

/// <summary>How big a run is. The defaults give meaningful accuracies in a few minutes on a laptop CPU.</summary>
public sealed record SampleOptions
{
    public int Scenes { get; init; } = 1600;

    /// <summary>Image side S: a multiple of 8, at least 24 (the paper: 64, and far longer training, see UsePaperSolvers).</summary>
    public int ImageSize { get; init; } = 32;

    public int EstimatorIterations { get; init; } = 300;
    public int ProjectorIterations { get; init; } = 600;
    public int ComparatorIterations { get; init; } = 1500;
    public int DirectIterations { get; init; } = 400;
    public int BatchSize { get; init; } = 32;
    public int Seed { get; init; } = 1;

    /// <summary>Narrower networks (see <c>--smoke</c>).</summary>
    public bool Smoke { get; init; }

    /// <summary>The seconds-long run the tests use: 120 scenes of 32x32, a few dozen iterations per stage.</summary>
    public static SampleOptions SmokeRun => new()
    {
        Scenes = 120, ImageSize = 32, EstimatorIterations = 30, ProjectorIterations = 40, ComparatorIterations = 20, DirectIterations = 60,
        BatchSize = 16, Smoke = true,
    };

    public static bool TryParse(string[] args, out SampleOptions options)
    {
        options = args.Length == 0 ? new SampleOptions() : SmokeRun;
        return args.Length == 0 || (args.Length == 1 && args[0] == "--smoke");
    }
}

/// <summary>What the run measured.</summary>
public sealed record SampleResult(double TripleStagedAccuracy, double DirectAccuracy, IReadOnlyList<string> ClassNames, int TestRows,
    IReadOnlyList<string> FirstPredictedLabelNames);
