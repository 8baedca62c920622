using MLRobust.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// Trains a <see cref="TripleStagedNetwork"/> stage by stage (PAPERS.md §1): 1. the pose estimator on object rows, Euclidean
/// loss on the pose parameters; 2. the projector on the clean renders of object rows from their true poses,
/// 0.01 · Euclidean(image, clean) + sigmoid cross entropy(mask, alpha); 3. the comparator on balanced same/different patches
/// (<see cref="PatchSampler"/>), sigmoid cross entropy. Each stage trains only its own weights. Plain torch: the source can be
/// tensors in memory (<see cref="TensorSampleSource"/>) or a data view (<see cref="DataViewSampleSource"/>).
/// </summary>
public static class TripleStagedTraining
{
    public const string EstimatorStage = "Estimator";
    public const string ProjectorStage = "Projector";
    public const string ComparatorStage = "Comparator";

    /// <summary>Trains <paramref name="network"/> (on the options' device, where it is moved) and leaves it in evaluation mode.</summary>
    public static void Train(TripleStagedNetwork network, ISampleSource train, TripleStagedTrainingOptions options, ISampleSource? validation = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckSource(network, train, "training");
        if (validation is not null) CheckSource(network, validation, "validation");
        var device = options.Device ?? CPU;
        network.to(device);
        var runner = new StageRunner(options, nameof(TripleStagedNetwork), Fingerprint(network), network, train, 3);
        var (startStage, startIteration, optimizerState) = runner.Restore();
        var sampler = new PatchSampler(network, options.PatchStride, options.MinimumPatchCoverage, options.SamePairFraction);
        var none = network.NoneClassIndex;
        var k = network.ObjectClassCount;

        Tensor ObjectOneHot(Tensor classes, Tensor like)
        {
            using var noGrad = no_grad();
            var objects = classes - classes.gt(HeldScalars.Held(none)).to_type(ScalarType.Int64);
            return ClassPlanes.OneHot(objects, k, like);
        }

        var estimator = new StageRunner.Stage(EstimatorStage, 0, options.Estimator, network.Estimator,
            (t, random) =>
            {
                var batch = train.Next(options.Estimator.BatchSize, SampleFilter.Objects);
                var raw = network.Estimator.call(batch.Images, ObjectOneHot(batch.Classes, batch.Images));
                return (Losses.Euclidean(raw, batch.RequireParameters(EstimatorStage)), batch.Count);
            },
            validation is null ? null : () => Mean(validation.Pass(options.Estimator.BatchSize, SampleFilter.Objects, options.ValidationRows),
                b => Losses.Euclidean(network.Estimator.call(b.Images, ObjectOneHot(b.Classes, b.Images)), b.RequireParameters(EstimatorStage))));

        var projector = new StageRunner.Stage(ProjectorStage, 1, options.Projector, network.Projector,
            (t, random) =>
            {
                var batch = train.Next(options.Projector.BatchSize, SampleFilter.Objects);
                var projection = network.Projector.call(batch.RequireParameters(ProjectorStage), ObjectOneHot(batch.Classes, batch.Images));
                return (Losses.Projector(projection, batch.RequireCleanImages(ProjectorStage), batch.RequireAlphas(ProjectorStage), options.ProjectorImageLossWeight), batch.Count);
            },
            validation is null ? null : () => Mean(validation.Pass(options.Projector.BatchSize, SampleFilter.Objects, options.ValidationRows),
                b => Losses.Projector(network.Projector.call(b.RequireParameters(ProjectorStage), ObjectOneHot(b.Classes, b.Images)),
                    b.RequireCleanImages(ProjectorStage), b.RequireAlphas(ProjectorStage), options.ProjectorImageLossWeight)));

        var comparator = new StageRunner.Stage(ComparatorStage, 2, options.Comparator, network.Comparator,
            (t, random) =>
            {
                var (patches, labels) = sampler.Balanced(train, options.Comparator.BatchSize, options.ComparatorImagesPerDraw, random);
                var logits = network.Comparator.call(patches).reshape(-1);
                return (nn.functional.binary_cross_entropy_with_logits(logits, labels), (int)patches.size(0));
            },
            validation is null ? null : () => ValidateComparator(network, sampler, validation, options),
            // The merged network is complete once the estimator and projector are trained: monitor the comparator stage.
            options.Monitor is null ? null : new Attacks.ClassifierAttackTarget(network));

        var stages = new[] { estimator, projector, comparator };
        foreach (var stage in stages)
        {
            if (stage.Index < startStage) continue;
            var from = stage.Index == startStage ? startIteration : 0;
            if (stage.Options.Iterations == 0) runner.Skip(stage);
            else runner.Run(stage, from, stage.Index == startStage ? optimizerState : null);
        }
        if (optimizerState is not null) foreach (var t in optimizerState.Values) t.Dispose();
        network.eval();
    }

    /// <summary>The comparator's validation: mean patch cross entropy over every kept patch of the validation images, and the
    /// whole network's accuracy at Θ on them.</summary>
    private static (double, double?) ValidateComparator(TripleStagedNetwork network, PatchSampler sampler, ISampleSource validation, TripleStagedTrainingOptions options)
    {
        var random = new Random(SeedMix.Mix(options.EffectiveSeed, 2, -1));
        double lossSum = 0;
        long patchCount = 0, correct = 0, rows = 0;
        foreach (var batch in validation.Pass(Math.Min(64, options.ValidationRows), SampleFilter.All, options.ValidationRows))
        {
            using (batch)
            using (NewDisposeScope())
            {
                var (patches, labels) = sampler.Cut(batch, random);
                if (patches.size(0) > 0)
                {
                    var logits = network.Comparator.call(patches).reshape(-1);
                    lossSum += nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction: nn.Reduction.Sum).ToDouble();
                    patchCount += patches.size(0);
                }
                var decided = network.Decide(network.Scores(batch.Images));
                correct += decided.eq(batch.Classes).sum().ToInt64();
                rows += batch.Count;
            }
        }
        return (patchCount == 0 ? double.NaN : lossSum / patchCount, rows == 0 ? null : (double)correct / rows);
    }

    internal static (double, double?) Mean(IEnumerable<SampleBatch> batches, Func<SampleBatch, Tensor> loss)
    {
        double sum = 0;
        long n = 0;
        foreach (var batch in batches)
        {
            using (batch)
            using (NewDisposeScope())
            {
                sum += loss(batch).ToDouble() * batch.Count;
                n += batch.Count;
            }
        }
        return (n == 0 ? double.NaN : sum / n, null);
    }

    /// <summary>What a checkpoint must match: the classes, parameters, size and widths.</summary>
    internal static string Fingerprint(TripleStagedNetwork n) =>
        $"K={n.ObjectClassCount};P={n.ParameterCount};S={n.InputSize};None={n.NoneClassIndex};E={n.Estimator.Widths};R={n.Projector.Widths};C={n.Comparator.Widths}";

    private static void CheckSource(TripleStagedNetwork network, ISampleSource source, string what)
    {
        if (source.ClassCount != network.ClassCount || source.NoneClassIndex != network.NoneClassIndex)
            throw new ArgumentException($"the {what} data has {source.ClassCount} classes with None at {source.NoneClassIndex}; the network expects {network.ClassCount} with None at {network.NoneClassIndex}");
        if (source.ImageSize != network.InputSize)
            throw new ArgumentException($"the {what} images are {source.ImageSize}x{source.ImageSize}; the network expects {network.InputSize}x{network.InputSize}");
        if (source.ParameterCount != network.ParameterCount)
            throw new ArgumentException($"the {what} data has {source.ParameterCount} pose parameters; the network expects {network.ParameterCount}");
        if (!source.HasRenderColumns) throw new ArgumentException($"the {what} data has no clean renders and alphas, which the projector trains on");
    }
}
