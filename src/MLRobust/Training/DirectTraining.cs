using MLRobust.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>Trains the direct baselines: <see cref="DirectClassifier"/> with softmax cross entropy, <see cref="DirectWithParameters"/>
/// with cross entropy plus the pose head's Euclidean loss masked out for None rows (PAPERS.md §1).</summary>
public static class DirectTraining
{
    public const string ClassifierStage = "Classifier";

    public static void Train(DirectClassifier network, ISampleSource train, DirectTrainingOptions options, ISampleSource? validation = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        Train(network, network.ClassCount, train, options, validation, nameof(DirectClassifier), $"C={network.ClassCount};S={network.InputSize};W={(object?)network.Widths ?? "custom:" + network.CustomNetworkName}",
            (images, batch) => nn.functional.cross_entropy(network.call(images), batch.Classes));
    }

    public static void Train(DirectWithParameters network, ISampleSource train, DirectTrainingOptions options, ISampleSource? validation = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        if (train.ParameterCount != network.ParameterCount)
            throw new ArgumentException($"the training data has {train.ParameterCount} pose parameters; the network expects {network.ParameterCount}", nameof(train));
        Train(network, network.ClassCount, train, options, validation, nameof(DirectWithParameters),
            $"C={network.ClassCount};P={network.ParameterCount};S={network.InputSize};None={network.NoneClassIndex};W={network.Widths}",
            // Adversarial and augmented rows keep their own pose targets: the perturbation does not move the object.
            (images, batch) => network.Loss(images, batch.Classes, batch.RequireParameters(ClassifierStage)));
    }

    private static void Train<T>(T network, int classCount, ISampleSource train, DirectTrainingOptions options, ISampleSource? validation,
        string model, string fingerprint, Func<Tensor, SampleBatch, Tensor> loss) where T : nn.Module<Tensor, Tensor>, IDifferentiableClassifier
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        foreach (var (source, what) in new[] { (train, "training"), (validation, "validation") })
        {
            if (source is null) continue;
            if (source.ClassCount != classCount) throw new ArgumentException($"the {what} data has {source.ClassCount} classes; the network has {classCount}");
            if (source.ImageSize != network.InputSize) throw new ArgumentException($"the {what} images are {source.ImageSize}x{source.ImageSize}; the network expects {network.InputSize}x{network.InputSize}");
        }
        TrainingBatchTransforms.CheckAugmentations(options.Augmentations, network.InputSize);
        network.to(options.Device ?? CPU);
        var runner = new StageRunner(options, model, fingerprint, network, train, 1);
        var (startStage, startIteration, optimizerState) = runner.Restore();
        var stage = new StageRunner.Stage(ClassifierStage, 0, options.Classifier, network,
            (t, random) =>
            {
                var batch = train.Next(options.Classifier.BatchSize, SampleFilter.All);
                // Augmented and adversarial images come from the current weights, made before the loss's forward pass in training mode.
                var images = TrainingBatchTransforms.Prepare(network, batch, options, random);
                return (loss(images, batch), batch.Count);
            },
            validation is null ? null : () => Validate(network, validation, options),
            options.Monitor is null ? null : new Attacks.ClassifierAttackTarget(network));
        if (startStage == 0)
        {
            if (options.Classifier.Iterations == 0) runner.Skip(stage);
            else runner.Run(stage, startIteration, optimizerState);
        }
        if (optimizerState is not null) foreach (var t in optimizerState.Values) t.Dispose();
        network.eval();
    }

    private static (double, double?) Validate<T>(T network, ISampleSource validation, DirectTrainingOptions options) where T : nn.Module<Tensor, Tensor>, IDifferentiableClassifier
    {
        double lossSum = 0;
        long correct = 0, n = 0;
        foreach (var batch in validation.Pass(Math.Min(128, options.ValidationRows), SampleFilter.All, options.ValidationRows))
        {
            using (batch)
            using (NewDisposeScope())
            {
                var logits = network.call(batch.Images);
                lossSum += nn.functional.cross_entropy(logits, batch.Classes, reduction: nn.Reduction.Sum).ToDouble();
                correct += network.Decide(logits).eq(batch.Classes).sum().ToInt64();
                n += batch.Count;
            }
        }
        return n == 0 ? (double.NaN, null) : (lossSum / n, (double)correct / n);
    }
}
