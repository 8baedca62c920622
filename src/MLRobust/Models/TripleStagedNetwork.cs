using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>
/// The merged triple-staged projection classifier (PAPERS.md §1): for every object class k the
/// <see cref="PoseEstimator"/> estimates the pose, the <see cref="Projector"/> redraws the object, and the
/// <see cref="Comparator"/>, slid over the image at stride 1, compares query and projection patch by patch. The
/// similarity map, weighted by the p×p average-pooled projected mask, gives the class score
/// Σ(similarity · pooled mask) / Σ pooled mask. The whole computation is one autograd graph, so gradients reach the
/// input through all three stages. Decision: None when every class score is below <see cref="Threshold"/> (Θ),
/// otherwise the best class. All K classes run as one batch of K·N.
/// </summary>
public sealed class TripleStagedNetwork : nn.Module<Tensor, Tensor>, IDifferentiableClassifier
{
    /// <summary>A pooled-mask total below this counts as "nothing projected" (the score is then at most the weighted sum / this).</summary>
    public const double MinimumMaskWeight = 1e-6;

    private readonly PoseEstimator estimator;
    private readonly Projector projector;
    private readonly Comparator comparator;
    private double _threshold;

    /// <remarks><paramref name="objectClassCount"/>: K, the classes other than None. <paramref name="parameterCount"/>: P, the pose parameters (each in [0, 1]). <paramref name="noneClassIndex"/>: Where None sits among the K + 1 classes (default: last). <paramref name="threshold"/>: Θ; it can be changed at any time (<see cref="Threshold"/>).</remarks>
    public TripleStagedNetwork(int objectClassCount, int parameterCount, long inputSize = 64, int? noneClassIndex = null,
        double threshold = 0.45, AlexNetSmallWidths? estimatorWidths = null, ProjectorWidths? projectorWidths = null,
        ComparatorWidths? comparatorWidths = null, double dropout = 0.5, bool referenceInitialisation = true)
        : base(nameof(TripleStagedNetwork))
    {
        if (objectClassCount < 1) throw new ArgumentOutOfRangeException(nameof(objectClassCount), objectClassCount, "at least one object class is needed");
        var none = noneClassIndex ?? objectClassCount;
        if (none < 0 || none > objectClassCount)
            throw new ArgumentOutOfRangeException(nameof(noneClassIndex), noneClassIndex, $"None must be one of the {objectClassCount + 1} classes (0 to {objectClassCount})");
        ObjectClassCount = objectClassCount;
        ParameterCount = parameterCount;
        InputSize = inputSize;
        NoneClassIndex = none;
        Threshold = threshold;
        estimator = new PoseEstimator(objectClassCount, parameterCount, inputSize, estimatorWidths, dropout, referenceInitialisation);
        projector = new Projector(objectClassCount, parameterCount, inputSize, projectorWidths);
        comparator = new Comparator(comparatorWidths);
        if (comparator.PatchSize > inputSize)
            throw new ArgumentOutOfRangeException(nameof(comparatorWidths), comparator.PatchSize, $"the comparator's patch ({comparator.PatchSize}) is larger than the image ({inputSize})");
        RegisterComponents();
    }

    public PoseEstimator Estimator => estimator;
    public Projector Projector => projector;
    public Comparator Comparator => comparator;

    /// <summary>K, the classes other than None.</summary>
    public int ObjectClassCount { get; }
    public int ParameterCount { get; }
    public long InputSize { get; }
    public int NoneClassIndex { get; }

    /// <summary>K + 1: the object classes and None.</summary>
    public int ClassCount => ObjectClassCount + 1;

    public ClassifierScoreKind ScoreKind => ClassifierScoreKind.Similarities;

    /// <summary>Θ, in [0, 1]: None when every class score is below it.</summary>
    public double Threshold
    {
        get => _threshold;
        set
        {
            if (!(value >= 0 && value <= 1)) throw new ArgumentOutOfRangeException(nameof(Threshold), value, "Θ must be in [0, 1]");
            _threshold = value;
        }
    }

    /// <summary>The class scores <c>[N, K]</c> of images <c>[N, 1, S, S]</c>.</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Run(images).ClassScores.MoveToOuterDisposeScope();
    }

    /// <summary>Runs all three stages for every object class and returns every intermediate result.</summary>
    public TripleStagedOutput Run(Tensor images)
    {
        ModelChecks.Images(images, InputSize, nameof(TripleStagedNetwork));
        using var scope = NewDisposeScope();
        var n = images.size(0);
        var k = (long)ObjectClassCount;
        var s = InputSize;
        // Row r of the K·N batch is image r mod N under hypothesis class r / N.
        var queries = images.repeat(k, 1, 1, 1);
        Tensor classes;
        using (no_grad()) classes = arange(HeldScalars.Zero, HeldScalars.Held(k), ScalarType.Int64, images.device).reshape(k, 1).expand(k, n).reshape(k * n);
        var oneHot = ClassPlanes.OneHot(classes, ObjectClassCount, images);
        var parameters = estimator.Estimate(queries, oneHot);
        var projection = projector.call(parameters, oneHot);
        var similarity = comparator.Similarity(Comparator.Stack(queries, projection.Image, projection.Mask));
        var scores = Score(similarity, projection.Mask, comparator.PatchSize);
        var side = similarity.size(2);
        return new TripleStagedOutput(
            scores.reshape(k, n).t().contiguous(),
            parameters.reshape(k, n, ParameterCount).transpose(0, 1).contiguous(),
            projection.Image.reshape(k, n, s, s).transpose(0, 1).contiguous(),
            projection.Mask.reshape(k, n, s, s).transpose(0, 1).contiguous(),
            similarity.reshape(k, n, side, side).transpose(0, 1).contiguous()).MoveToOuterDisposeScope();
    }

    /// <summary>The class score of each row: the similarity map <c>[M, 1, h, w]</c> weighted by the mask <c>[M, 1, S, S]</c>
    /// average-pooled over p×p windows at stride 1, Σ(similarity · pooled) / max(Σ pooled, <see cref="MinimumMaskWeight"/>) → <c>[M]</c>.</summary>
    public static Tensor Score(Tensor similarity, Tensor mask, long patchSize)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.avg_pool2d(mask, patchSize, 1);
        if (!pooled.shape.SequenceEqual(similarity.shape))
            throw new ArgumentException($"the pooled mask [{string.Join(", ", pooled.shape)}] does not match the similarity map [{string.Join(", ", similarity.shape)}]", nameof(similarity));
        var dims = new long[] { 1, 2, 3 };
        var weighted = (similarity * pooled).sum(dims);
        var total = pooled.sum(dims).clamp_min(HeldScalars.Held(MinimumMaskWeight));
        return (weighted / total).MoveToOuterDisposeScope();
    }

    /// <summary><c>[N, K + 1]</c>: the class scores with the None column holding Θ (see <see cref="ClassDecision.NoneScore"/>), so
    /// the argmax of a row is the decision. Only the object columns depend on the images.</summary>
    public Tensor Scores(Tensor images)
    {
        using var scope = NewDisposeScope();
        return WithNoneColumn(forward(images)).MoveToOuterDisposeScope();
    }

    /// <summary>Inserts the None column (Θ) into object-class scores <c>[N, K]</c>.</summary>
    public Tensor WithNoneColumn(Tensor classScores)
    {
        ModelChecks.Scores(classScores, ObjectClassCount, nameof(WithNoneColumn));
        using var scope = NewDisposeScope();
        var n = classScores.size(0);
        var none = full(new[] { n, 1L }, HeldScalars.Held(ClassDecision.NoneScore(Threshold, NoneClassIndex, ObjectClassCount)), classScores.dtype, classScores.device);
        var before = classScores.narrow(1, 0, NoneClassIndex);
        var after = classScores.narrow(1, NoneClassIndex, ObjectClassCount - NoneClassIndex);
        return cat(new[] { before, none, after }, 1).MoveToOuterDisposeScope();
    }

    /// <summary>The object-class columns of full scores <c>[N, K + 1]</c>.</summary>
    public Tensor ObjectScores(Tensor scores)
    {
        ModelChecks.Scores(scores, ClassCount, nameof(ObjectScores));
        using var scope = NewDisposeScope();
        var before = scores.narrow(1, 0, NoneClassIndex);
        var after = scores.narrow(1, NoneClassIndex + 1, ObjectClassCount - NoneClassIndex);
        return cat(new[] { before, after }, 1).MoveToOuterDisposeScope();
    }

    public Tensor Decide(Tensor scores)
    {
        using var scope = NewDisposeScope();
        return ClassDecision.Decide(ObjectScores(scores), Threshold, NoneClassIndex).MoveToOuterDisposeScope();
    }

    /// <summary>½‖s − onehot(target)‖² over the object-class scores, per sample; a None target is all zeros.</summary>
    public Tensor TargetLoss(Tensor scores, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var objectScores = ObjectScores(scores);
        Tensor goal;
        using (no_grad())
        {
            var t = targets.to(scores.device).to_type(ScalarType.Int64);
            // Class c → object column c (or c − 1 past None); None → an extra column that is dropped.
            var column = where(t.eq(HeldScalars.Held(NoneClassIndex)), full_like(t, HeldScalars.Held(ObjectClassCount)), t - t.gt(HeldScalars.Held(NoneClassIndex)).to_type(ScalarType.Int64));
            goal = column.one_hot(ObjectClassCount + 1).narrow(1, 0, ObjectClassCount).to_type(scores.dtype);
        }
        return ((objectScores - goal).square().sum(1) * HeldScalars.Held(0.5)).MoveToOuterDisposeScope();
    }
}
