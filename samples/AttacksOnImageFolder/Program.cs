// Add MLRobust's adversarial attacks to an ordinary ML.NET image-folder pipeline, and measure with ML.NET's evaluator
// how much accuracy a small, invisible perturbation takes away.
//
//   dotnet run --project samples/AttacksOnImageFolder -c Release -- [FOLDER]   (FOLDER: one sub-folder of images per class;
//                                                                              without it, a folder of shapes is made)
//   dotnet run --project samples/AttacksOnImageFolder -c Release -- --smoke    (seconds, tiny sizes)
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLRobust.Attacks;
using MLRobust.Models;
using MLRobust.Trainers;

namespace MLRobust.Samples.AttacksOnImageFolder;

public static class Program
{
    public static int Main(string[] args)
    {
        if (!SampleOptions.TryParse(args, out var options))
        {
            Console.Error.WriteLine("usage: AttacksOnImageFolder [--smoke] [IMAGE-FOLDER]");
            return 2;
        }
        Run(options, Console.Out);
        return 0;
    }

    public static SampleResult Run(SampleOptions o, TextWriter log)
    {
        var ml = new MLContext(seed: o.Seed);
        // Without a folder of your own, a temporary one of discs, squares and triangles (deleted at the end).
        var ownFolder = o.ImageFolder is null;
        var folder = o.ImageFolder ?? ShapeImages.Write(Path.Combine(Path.GetTempPath(), $"mlrobust-shapes-{Guid.NewGuid():N}"), o.ImagesPerClass, seed: o.Seed);
        try
        {
            // 1. The image folder as an IDataView: one row {ImagePath, Label = the class sub-folder's name} per image file.
            var images = ml.Data.LoadFromImageFolder(folder);
            var split = ml.Data.TrainTestSplit(images, testFraction: 0.3, seed: o.Seed);

            // 2. ML.NET's usual image pipeline: the label text becomes a key, each file an S×S grey image, its pixels the
            //    Features vector in [0, 1]. ML.NET extracts colour planes; after ConvertToGrayscale R = G = B, so the red
            //    plane is the grey image. Then MLRobust's direct classifier (AlexNet-small) trains on Features.
            var trainerOptions = new DirectClassifierTrainer.Options { Seed = o.Seed, Classifier = { Iterations = o.Iterations, BatchSize = 32 } };
            if (o.Smoke) trainerOptions.Widths = new AlexNetSmallWidths(8, 16, 16, 16, 16, 64);
            var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.Transforms.LoadImages("Image", null, "ImagePath"))
                .Append(ml.Transforms.ResizeImages("Image", o.ImageSize, o.ImageSize))
                .Append(ml.Transforms.ConvertToGrayscale("Image"))
                .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
                // The trainer reads the data many times: decode the images once, keep the rows in memory (and shuffle them
                // between passes). The cache is used while fitting; it is not part of the model.
                .AppendCacheCheckpoint(ml)
                .Append(ml.MulticlassClassification.Trainers.DirectClassifier(trainerOptions));
            log.WriteLine($"Training on {split.TrainSet.GetColumn<string>("ImagePath").Count()} images of {folder}...");
            using var model = pipeline.Fit(split.TrainSet);

            // 3. Clean accuracy: the test images through the whole fitted chain, then ML.NET's evaluator.
            var clean = model.Transform(split.TestSet);
            var cleanMetrics = ml.MulticlassClassification.Evaluate(clean);
            log.WriteLine($"Clean: MicroAccuracy {cleanMetrics.MicroAccuracy:P1}");
            log.WriteLine(cleanMetrics.ConfusionMatrix.GetFormattedConfusionTable());

            // 4. Attacks need the network's gradients: the chain's last transformer is the trained classifier, and
            //    AttackTarget.From makes its network something an attack can differentiate.
            var classifier = model.LastTransformer;
            var target = AttackTarget.From(classifier.Classifier);
            var epsilon = o.EpsilonGreyLevels / 255.0; // the budget: at most this change per pixel, on the [0, 1] scale
            var fgsm = AttackAndScore("FGSM", ml.Transforms.Adversarial.Fgsm(target, options: new FgsmOptions { Epsilon = epsilon }));
            var pgd = AttackAndScore("PGD", ml.Transforms.Adversarial.Pgd(target, options: new PgdOptions { Epsilon = epsilon, StepSize = epsilon / 4, Steps = 10, Seed = o.Seed }));

            var classCount = (int)((KeyDataViewType)clean.Schema["Label"].Type).Count;
            return new SampleResult(cleanMetrics.MicroAccuracy, fgsm, pgd, epsilon, classCount, clean.GetColumn<uint>("Label").Count());

            AttackOutcome AttackAndScore(string name, IEstimator<ITransformer> attack)
            {
                // The attack transform adds "Adversarial" (the perturbed Features of each row, against the row's Label) and
                // per-row columns such as Success and LInf. It is lazy: rows are attacked, in batches, as a cursor reads them.
                // CopyColumns then hands the adversarial image to the classifier under the name it reads ("Features"), and
                // the classifier's new Score and PredictedLabel columns hide the clean ones.
                var attacked = attack
                    .Append(ml.Transforms.CopyColumns("Features", "Adversarial"))
                    .Fit(clean)
                    .Transform(clean);
                var metrics = ml.MulticlassClassification.Evaluate(classifier.Transform(attacked));
                var successRate = attacked.GetColumn<bool>(AdversarialColumnNames.Success).Average(s => s ? 1.0 : 0.0);
                var largestChange = attacked.GetColumn<float>(AdversarialColumnNames.LInf).Max();
                log.WriteLine($"{name} (ε = {o.EpsilonGreyLevels} grey levels): MicroAccuracy {metrics.MicroAccuracy:P1}, " +
                    $"attack success {successRate:P1}, largest pixel change {largestChange * 255:F1} grey levels");
                return new AttackOutcome(metrics.MicroAccuracy, successRate, largestChange);
            }
        }
        finally
        {
            if (ownFolder) Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>How big a run is. The defaults give meaningful accuracies in a minute or two on a laptop CPU.</summary>
public sealed record SampleOptions
{
    /// <summary>A folder with one sub-folder of .png/.jpg images per class; null: a temporary folder of shapes.</summary>
    public string? ImageFolder { get; init; }

    /// <summary>Images per class of the temporary folder.</summary>
    public int ImagesPerClass { get; init; } = 200;

    /// <summary>Images are resized to S×S (AlexNet-small needs at least 17).</summary>
    public int ImageSize { get; init; } = 32;

    public int Iterations { get; init; } = 400;

    /// <summary>The attacks' L∞ budget, in grey levels of 255.</summary>
    public int EpsilonGreyLevels { get; init; } = 8;

    public int Seed { get; init; } = 1;

    /// <summary>A smaller network (see <c>--smoke</c>).</summary>
    public bool Smoke { get; init; }

    /// <summary>The seconds-long run the tests use.</summary>
    public static SampleOptions SmokeRun => new() { ImagesPerClass = 40, Iterations = 300, Smoke = true };

    public static bool TryParse(string[] args, out SampleOptions options)
    {
        var folders = args.Where(a => a != "--smoke").ToArray();
        options = args.Contains("--smoke") ? SmokeRun : new SampleOptions();
        if (folders.Length == 1) options = options with { ImageFolder = folders[0] };
        return folders.Length <= 1 && !folders.Any(f => f.StartsWith('-'));
    }
}

/// <summary>Accuracy on the attacked test images, the share of rows the attack fooled, and its largest pixel change (on [0, 1]).</summary>
public sealed record AttackOutcome(double Accuracy, double SuccessRate, double LargestChange);

/// <summary>What the run measured.</summary>
public sealed record SampleResult(double CleanAccuracy, AttackOutcome Fgsm, AttackOutcome Pgd, double Epsilon, int ClassCount, int TestRows);
