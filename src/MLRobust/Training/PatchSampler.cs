using MLRobust.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// Makes the comparator's training data (PAPERS.md §1, stage 3): images are run through the trained estimator and projector
/// under a hypothesised class — their own ("same", with probability SamePairFraction) or another one, and for None images
/// any class ("different") — then query, projection and projected mask are cut into p×p patches at the configured stride,
/// and the patches whose mean projected alpha reaches the coverage threshold are kept, labelled 1 (same) or 0 (different).
/// </summary>
public sealed class PatchSampler
{
    private const int MaxDraws = 256;

    private readonly TripleStagedNetwork _network;
    private readonly int _stride;
    private readonly double _coverage;
    private readonly double _sameFraction;

    public PatchSampler(TripleStagedNetwork network, int stride = 6, double minimumCoverage = 0.01, double samePairFraction = 0.5)
    {
        _network = network ?? throw new ArgumentNullException(nameof(network));
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "must be positive");
        _stride = stride;
        _coverage = minimumCoverage;
        _sameFraction = samePairFraction;
    }

    /// <summary>Every kept patch of one batch of images: patches <c>[M, 3, p, p]</c> and labels <c>[M]</c> (1 = same, 0 = different),
    /// in the images' dtype.</summary>
    public (Tensor patches, Tensor labels) Cut(SampleBatch batch, Random random)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var k = _network.ObjectClassCount;
        var none = _network.NoneClassIndex;
        var classes = batch.Classes.cpu().data<long>().ToArray();
        var hypotheses = new long[classes.Length];
        var same = new float[classes.Length];
        for (var i = 0; i < classes.Length; i++)
        {
            var own = ClassDecision.ObjectOfClass((int)classes[i], none);
            if (own >= 0 && (k == 1 || random.NextDouble() < _sameFraction))
            {
                hypotheses[i] = own;
                same[i] = 1;
            }
            else if (own >= 0)
            {
                var other = random.Next(k - 1);
                hypotheses[i] = other >= own ? other + 1 : other;
            }
            else hypotheses[i] = random.Next(k);
        }
        var images = batch.Images;
        var oneHot = ClassPlanes.OneHot(tensor(hypotheses, device: images.device), k, images);
        var wasTraining = (_network.Estimator.training, _network.Projector.training);
        _network.Estimator.eval();
        _network.Projector.eval();
        var pose = _network.Estimator.Estimate(images, oneHot);
        var projection = _network.Projector.call(pose, oneHot);
        _network.Estimator.train(wasTraining.Item1);
        _network.Projector.train(wasTraining.Item2);
        var p = _network.Comparator.PatchSize;
        var n = images.size(0);
        var columns = nn.functional.unfold(Comparator.Stack(images, projection.Image, projection.Mask), p, stride: _stride);
        var perImage = columns.size(2);
        var patches = columns.transpose(1, 2).reshape(n * perImage, 3, p, p);
        var coverage = patches.select(1, 2).mean(new long[] { 1, 2 });
        var keep = coverage.ge(HeldScalars.Held(_coverage)).nonzero().reshape(-1);
        var labels = tensor(same, device: images.device).to_type(images.dtype).reshape(n, 1).expand(n, perImage).reshape(n * perImage);
        return (patches.index_select(0, keep).MoveToOuterDisposeScope(), labels.index_select(0, keep).MoveToOuterDisposeScope());
    }

    /// <summary>A balanced batch of <paramref name="batchSize"/> patches (half same, half different, shuffled), drawing
    /// <paramref name="imagesPerDraw"/> images at a time from <paramref name="source"/> until both halves are full.</summary>
    public (Tensor patches, Tensor labels) Balanced(ISampleSource source, int batchSize, int imagesPerDraw, Random random)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var scope = NewDisposeScope();
        var sameParts = new List<Tensor>();
        var differentParts = new List<Tensor>();
        long sameCount = 0, differentCount = 0;
        var half = batchSize / 2;
        var other = batchSize - half;
        for (var draw = 0; (sameCount < half || differentCount < other) && draw < MaxDraws; draw++)
        {
            using var batch = source.Next(imagesPerDraw, SampleFilter.All);
            var (patches, labels) = Cut(batch, random);
            var isSame = labels.gt(HeldScalars.Held(0.5));
            var s = patches.index_select(0, isSame.nonzero().reshape(-1));
            var d = patches.index_select(0, isSame.logical_not().nonzero().reshape(-1));
            if (sameCount < half && s.size(0) > 0) { sameParts.Add(s); sameCount += s.size(0); }
            if (differentCount < other && d.size(0) > 0) { differentParts.Add(d); differentCount += d.size(0); }
        }
        if (sameCount == 0 || differentCount == 0)
            throw new InvalidOperationException($"no {(sameCount == 0 ? "'same'" : "'different'")} patches after {MaxDraws} draws of {imagesPerDraw} images: " +
                "the data needs object rows (and other classes or None rows) whose projected alpha covers enough of a patch; check the projector's training and MinimumPatchCoverage");
        var sameTake = Pick(cat(sameParts, 0), Math.Min(half, sameCount), random);
        var differentTake = Pick(cat(differentParts, 0), Math.Min(other, differentCount), random);
        var all = cat(new[] { sameTake, differentTake }, 0);
        var allLabels = cat(new[] { ones(new[] { sameTake.size(0) }, all.dtype, all.device), zeros(new[] { differentTake.size(0) }, all.dtype, all.device) }, 0);
        var order = tensor(SeedMix.Permutation((int)all.size(0), random).Select(i => (long)i).ToArray(), device: all.device);
        return (all.index_select(0, order).MoveToOuterDisposeScope(), allLabels.index_select(0, order).MoveToOuterDisposeScope());
    }

    private static Tensor Pick(Tensor pool, long count, Random random)
    {
        var order = SeedMix.Permutation((int)pool.size(0), random).Take((int)count).Select(i => (long)i).ToArray();
        return pool.index_select(0, tensor(order, device: pool.device));
    }
}
