// Train an image classifier whose chain mixes ML.NET's transforms with MLRobust's trainer, save it with ml.Model.Save,
// load it in a fresh MLContext, and predict single images with a PredictionEngine.
//
//   dotnet run --project samples/SaveLoadPredict -c Release [-- --out FOLDER]   (writes FOLDER/shapes-model.zip)
//   dotnet run --project samples/SaveLoadPredict -c Release -- --smoke          (seconds, tiny sizes)
//   dotnet run --project samples/SaveLoadPredict -c Release -- --predict MODEL.zip IMAGE...   (another program's view:
//                                                                              load a saved model, predict image files)
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLRobust.Models;
using MLRobust.Trainers;

namespace MLRobust.Samples.SaveLoadPredict;

/// <summary>What the model takes at prediction time: the image file alone, no label.</summary>
public sealed class ImageInput
{
    public string ImagePath { get; set; } = "";
}

/// <summary>What it gives: the class name (from ML.NET's MapKeyToValue) and one probability per class (from MLRobust's classifier).</summary>
public sealed class ImagePrediction
{
    public string PredictedClass { get; set; } = "";
    public float[] Score { get; set; } = Array.Empty<float>();
}

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "--predict")
        {
            Predict(args[1], args[2..], Console.Out);
            return 0;
        }
        if (!SampleOptions.TryParse(args, out var options))
        {
            Console.Error.WriteLine("usage: SaveLoadPredict [--smoke] [--out FOLDER]");
            return 2;
        }
        Run(options, Console.Out);
        return 0;
    }

    /// <summary>What a program that only has the model file does: register MLRobust, load, predict each image. Writes one line
    /// per image: path, predicted class and the scores (round-trip formatted), tab-separated.</summary>
    public static void Predict(string modelPath, IEnumerable<string> imagePaths, TextWriter output)
    {
        var ml = new MLContext();
        ml.ComponentCatalog.RegisterMLRobust();
        var model = ml.Model.Load(modelPath, out _);
        // The engine owns (and at the end disposes) the loaded model.
        using var engine = ml.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(model);
        foreach (var path in imagePaths)
        {
            var p = engine.Predict(new ImageInput { ImagePath = path });
            output.WriteLine($"{path}\t{p.PredictedClass}\t{string.Join(' ', p.Score.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}");
        }
    }

    public static SampleResult Run(SampleOptions o, TextWriter log)
    {
        var ml = new MLContext(seed: o.Seed);
        var imageFolder = ShapeImages.Write(Path.Combine(Path.GetTempPath(), $"mlrobust-shapes-{Guid.NewGuid():N}"), o.ImagesPerClass, seed: o.Seed);
        try
        {
            var rows = ml.Data.LoadFromImageFolder(imageFolder); // {ImagePath, Label = class folder name}
            var split = ml.Data.TrainTestSplit(rows, testFraction: 0.2, seed: o.Seed);

            // 1. Train. The label text becomes a key on the training data only, outside the model: the rows the saved
            //    model will score have no label.
            var labelToKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(split.TrainSet);
            // ML.NET's image transforms, before the trainer: file -> S×S grey image -> Features in [0, 1]
            // (after ConvertToGrayscale R = G = B, so the red plane is the grey image).
            var featurizer = ml.Transforms.LoadImages("Image", null, "ImagePath")
                .Append(ml.Transforms.ResizeImages("Image", o.ImageSize, o.ImageSize))
                .Append(ml.Transforms.ConvertToGrayscale("Image"))
                .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
                .Fit(split.TrainSet);
            // The trainer reads the data many times: the cache decodes the images once and lets it shuffle the rows.
            var trainFeatures = ml.Data.Cache(featurizer.Transform(labelToKey.Transform(split.TrainSet)));
            // MLRobust's augmentation, also on the training data only (a model that shifted the images it is asked
            // about would be wrong): each row the trainer reads is moved by up to 2 pixels, drawn anew every pass,
            // and the rows come in a new order every pass.
            var augmented = ml.Transforms.Augmentation.RandomShift("Features", maxPixels: 2, seed: o.Seed).Fit(trainFeatures).Transform(trainFeatures);
            var trainerOptions = new DirectClassifierTrainer.Options { Seed = o.Seed, Classifier = { Iterations = o.Iterations, BatchSize = 32 } };
            if (o.Smoke) trainerOptions.Widths = new AlexNetSmallWidths(8, 16, 16, 16, 16, 64);
            log.WriteLine("Training...");
            var classifier = ml.MulticlassClassification.Trainers.DirectClassifier(trainerOptions).Fit(augmented);
            // ML.NET's transform after MLRobust's trainer: the PredictedLabel key becomes the class name.
            var keyToName = ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel").Fit(classifier.Transform(trainFeatures));
            // The model to ship: the fitted transformers of both libraries in one ML.NET chain.
            using var model = featurizer.Append(classifier).Append(keyToName);
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(labelToKey.Transform(split.TestSet)));
            log.WriteLine($"Test MicroAccuracy {metrics.MicroAccuracy:P1}");

            // 2. Save: the chain and the schema of the data it was made for, in one .zip.
            Directory.CreateDirectory(o.OutputFolder);
            var modelPath = Path.Combine(o.OutputFolder, "shapes-model.zip");
            ml.Model.Save(model, split.TrainSet.Schema, modelPath);
            log.WriteLine($"Saved {modelPath}");

            // 3. Load, as another program would: a new MLContext, told about MLRobust's components first.
            var ml2 = new MLContext();
            ml2.ComponentCatalog.RegisterMLRobust();
            var loaded = ml2.Model.Load(modelPath, out _);
            try
            {
                // 4. Predict one image at a time: a PredictionEngine maps ImageInput to ImagePrediction by column name.
                using var engine = ml2.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(loaded);
                var testImages = split.TestSet.GetColumn<string>("ImagePath").ToArray();
                var testLabels = split.TestSet.GetColumn<string>("Label").ToArray();
                var prediction = engine.Predict(new ImageInput { ImagePath = testImages[0] });
                // The Score column names its slots by class.
                VBuffer<ReadOnlyMemory<char>> slotNames = default;
                engine.OutputSchema["Score"].GetSlotNames(ref slotNames);
                var classNames = slotNames.DenseValues().Select(n => n.ToString()).ToArray();
                log.WriteLine($"{Path.GetFileName(testImages[0])} (a {testLabels[0]}): predicted {prediction.PredictedClass}; scores " +
                    string.Join(", ", classNames.Zip(prediction.Score, (name, score) => $"{name} {score:F3}")));

                // 5. The loaded model predicts exactly what the trained one did.
                using var originalEngine = ml.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(model);
                var compared = Math.Min(o.RowsToCompare, testImages.Length);
                var identical = testImages.Take(compared).Count(path =>
                {
                    var before = originalEngine.Predict(new ImageInput { ImagePath = path });
                    var after = engine.Predict(new ImageInput { ImagePath = path });
                    return before.PredictedClass == after.PredictedClass && before.Score.SequenceEqual(after.Score);
                });
                log.WriteLine($"Loaded model vs trained model: {identical} of {compared} test images scored identically");

                return new SampleResult(metrics.MicroAccuracy, modelPath, testLabels[0], prediction.PredictedClass,
                    classNames.Zip(prediction.Score).ToDictionary(p => p.First, p => p.Second), compared, identical);
            }
            finally
            {
                (loaded as IDisposable)?.Dispose(); // frees the network's weights
            }
        }
        finally
        {
            Directory.Delete(imageFolder, recursive: true);
        }
    }
}

/// <summary>How big a run is. The defaults give a good classifier in a minute or two on a laptop CPU.</summary>
public sealed record SampleOptions
{
    /// <summary>Where the model is saved.</summary>
    public string OutputFolder { get; init; } = Path.Combine(Path.GetTempPath(), "mlrobust-samples");

    public int ImagesPerClass { get; init; } = 200;
    public int ImageSize { get; init; } = 32;
    public int Iterations { get; init; } = 400;
    public int RowsToCompare { get; init; } = 10;
    public int Seed { get; init; } = 1;

    /// <summary>A smaller network (see <c>--smoke</c>).</summary>
    public bool Smoke { get; init; }

    /// <summary>The seconds-long run the tests use.</summary>
    public static SampleOptions SmokeRun => new() { ImagesPerClass = 40, Iterations = 300, RowsToCompare = 5, Smoke = true };

    public static bool TryParse(string[] args, out SampleOptions options)
    {
        var rest = args.Where(a => a != "--smoke").ToArray();
        options = args.Contains("--smoke") ? SmokeRun : new SampleOptions();
        if (rest.Length == 2 && rest[0] == "--out") options = options with { OutputFolder = rest[1] };
        return rest.Length == 0 || (rest.Length == 2 && rest[0] == "--out");
    }
}

/// <summary>What the run measured and predicted.</summary>
public sealed record SampleResult(double TestAccuracy, string ModelPath, string ImageClass, string PredictedClass,
    IReadOnlyDictionary<string, float> Scores, int RowsCompared, int RowsIdentical);
