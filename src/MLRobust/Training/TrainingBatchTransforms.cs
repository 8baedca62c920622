using MLRobust.Attacks;
using MLRobust.Augmentation;
using MLRobust.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// What a direct training step does to a batch's images before the loss: the in-trainer augmentations, then the replacement
/// of part of the batch by adversarial examples of the current weights. Every random choice follows from the iteration's
/// seeded <see cref="Random"/>, so runs repeat and a resumed run equals an uninterrupted one.
/// </summary>
internal static class TrainingBatchTransforms
{
    /// <summary>The images the loss should see for <paramref name="batch"/> (no gradient): the batch's own images when neither
    /// option is set.</summary>
    internal static Tensor Prepare(IDifferentiableClassifier network, SampleBatch batch, DirectTrainingOptions options, Random random)
    {
        // Both seeds are drawn whatever is enabled, so turning one option on does not change what the other does.
        var augmentationSeed = random.Next();
        var attackSeed = random.Next();
        var images = batch.Images;
        if (options.Augmentations is { Count: > 0 } augmentations) images = Augment(images, augmentations, augmentationSeed);
        if (options.Adversarial is { } adversarial) images = MixAdversarial(network, images, batch.Classes, adversarial, attackSeed);
        return images;
    }

    /// <summary>Checks that every augmentation keeps images of side <paramref name="size"/> at that size (the network's input).</summary>
    internal static void CheckAugmentations(IReadOnlyList<ImageAugmentation>? augmentations, long size)
    {
        if (augmentations is null) return;
        var shape = new long[] { 1, size, size };
        for (var k = 0; k < augmentations.Count; k++)
        {
            var output = augmentations[k].OutputShape(shape, "training images");
            if (!output.SequenceEqual(shape))
                throw new ArgumentException(
                    $"Augmentations[{k}] ({augmentations[k].Kind}) turns the {size}x{size} training images into [{string.Join(", ", output)}]; augmentations applied in training must keep the network's input size",
                    nameof(DirectTrainingOptions.Augmentations));
        }
    }

    /// <summary>Applies <paramref name="augmentations"/> in order to each image of the batch [N, C, H, W]; row i of augmentation k
    /// draws from the stream (Mix(seed, k), i), as the augmentation transform draws per row.</summary>
    internal static Tensor Augment(Tensor images, IReadOnlyList<ImageAugmentation> augmentations, int seed)
    {
        var shape = images.shape;
        var n = (int)shape[0];
        var imageShape = new[] { shape[1], shape[2], shape[3] };
        var per = (int)(shape[1] * shape[2] * shape[3]);
        float[] values;
        using (no_grad())
        using (var cpu = images.detach().to(ScalarType.Float32).cpu())
            values = cpu.data<float>().ToArray();
        var buffer = new float[per];
        for (var k = 0; k < augmentations.Count; k++)
        {
            var streamSeed = SeedMix.Mix(seed, k);
            for (var i = 0; i < n; i++)
            {
                var image = values.AsSpan(i * per, per);
                augmentations[k].Apply(image, imageShape, buffer, new SampleRandom(streamSeed, i));
                buffer.CopyTo(image);
            }
        }
        return tensor(values, shape, device: images.device);
    }

    /// <summary>
    /// <paramref name="images"/> with <see cref="AdversarialTrainingOptions.Ratio"/> of its attacked rows (all rows, or the object
    /// rows when None rows are spared) replaced by their adversarial examples against the current weights. The attack runs with the
    /// network in evaluation mode (no dropout; the mode is restored after) and asks autograd for input gradients only, so no
    /// parameter gradient accumulates. Row i's PGD start is drawn from the stream (<paramref name="seed"/>, i).
    /// </summary>
    internal static Tensor MixAdversarial(IDifferentiableClassifier network, Tensor images, Tensor classes, AdversarialTrainingOptions options, int seed)
    {
        var module = network as nn.Module ?? throw new ArgumentException("adversarial training needs a TorchSharp module", nameof(network));
        var rows = AttackedRows(network, classes, options, seed);
        if (rows.Length == 0) return images;
        using var scope = NewDisposeScope();
        CheckRange(images, options.Range);
        var index = tensor(rows, device: images.device);
        var x = images.detach().index_select(0, index);
        var y = classes.index_select(0, index);
        var attack = CreateAttack(network, options, seed);
        var wasTraining = module.training;
        module.eval();
        try
        {
            using (no_grad())
            {
                var adversarial = attack.Perturb(x, y, rows);
                return images.detach().index_copy(0, index, adversarial).MoveToOuterDisposeScope();
            }
        }
        finally
        {
            if (wasTraining) module.train();
        }
    }

    private static void CheckRange(Tensor images, InputRange range)
    {
        using var scope = NewDisposeScope();
        var (min, max) = (images.min().ToSingle(), images.max().ToSingle());
        var slack = 1e-4 * range.Width;
        if (!(min >= range.Min - slack && max <= range.Max + slack))
            throw new InvalidOperationException(
                $"adversarial training: a training batch holds values in [{min}, {max}], outside AdversarialTrainingOptions.Range {range}; set Range to the images' range (ε and the step are in its units) or rescale the images");
    }

    /// <summary>The batch rows to replace, in increasing order: round(Ratio × eligible rows) of them, drawn from the seed.</summary>
    internal static long[] AttackedRows(IDifferentiableClassifier network, Tensor classes, AdversarialTrainingOptions options, int seed)
    {
        long[] labels;
        using (var cpu = classes.to_type(ScalarType.Int64).cpu()) labels = cpu.data<long>().ToArray();
        var none = network.NoneClassIndex;
        var eligible = Enumerable.Range(0, labels.Length).Where(i => options.AttackNoneRows || none < 0 || labels[i] != none).ToArray();
        var count = (int)Math.Round(options.Ratio * eligible.Length, MidpointRounding.AwayFromZero);
        if (count >= eligible.Length) return eligible.Select(i => (long)i).ToArray();
        var order = SeedMix.Permutation(eligible.Length, new Random(seed));
        return order.Take(count).Select(k => (long)eligible[k]).Order().ToArray();
    }

    internal static Attack CreateAttack(IDifferentiableClassifier network, AdversarialTrainingOptions options, int seed)
    {
        var target = new ClassifierAttackTarget(network);
        return options.Attack switch
        {
            AdversarialTrainingAttack.Pgd => new Pgd(target, new PgdOptions
            {
                Norm = PgdNorm.LInf, Epsilon = options.Epsilon, StepSize = options.StepSize, Steps = options.Steps,
                RandomStart = options.RandomStart, Seed = seed, Range = options.Range,
            }),
            AdversarialTrainingAttack.Fgsm => new Fgsm(target, new FgsmOptions { Epsilon = options.Epsilon, Seed = seed, Range = options.Range }),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Attack, "Attack must be Pgd or Fgsm."),
        };
    }
}
