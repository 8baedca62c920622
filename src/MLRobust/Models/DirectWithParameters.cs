using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>
/// The direct classifier with a second, P-output head on the penultimate layer that regresses the object's pose
/// parameters (PAPERS.md §1). The head only guides training: its Euclidean loss is masked out for None rows, and
/// the decision reads the class logits alone.
/// </summary>
public sealed class DirectWithParameters : nn.Module<Tensor, Tensor>, IDifferentiableClassifier
{
    private readonly AlexNetSmall network;
    private readonly Linear pose;

    public DirectWithParameters(int classCount, int parameterCount, int noneClassIndex = -1, long inputSize = 64,
        AlexNetSmallWidths? widths = null, double dropout = 0.5, bool referenceInitialisation = true)
        : base(nameof(DirectWithParameters))
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "a classifier needs at least 2 classes");
        if (parameterCount < 1) throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "at least one pose parameter is needed");
        if (noneClassIndex < -1 || noneClassIndex >= classCount)
            throw new ArgumentOutOfRangeException(nameof(noneClassIndex), noneClassIndex, $"must be -1 or a class index below {classCount}");
        ClassCount = classCount;
        ParameterCount = parameterCount;
        NoneClassIndex = noneClassIndex;
        InputSize = inputSize;
        network = new AlexNetSmall(1, classCount, inputSize, widths, dropout, referenceInitialisation);
        pose = nn.Linear(network.Widths.Fc, parameterCount);
        RegisterComponents();
        if (referenceInitialisation)
        {
            using var noGrad = no_grad();
            nn.init.normal_(pose.weight, 0, 0.01);
            if (pose.bias is { } b) nn.init.zeros_(b);
        }
    }

    /// <summary>The AlexNet-small that computes the class logits and the embedding the pose head reads.</summary>
    internal AlexNetSmall Trunk => network;

    /// <summary>The pose head: embedding (Fc) → P parameters.</summary>
    internal Linear PoseHead => pose;

    public int ClassCount { get; }
    public int ParameterCount { get; }
    public int NoneClassIndex { get; }
    public long InputSize { get; }
    public AlexNetSmallWidths Widths => network.Widths;
    public double Dropout => network.Dropout;
    public ClassifierScoreKind ScoreKind => ClassifierScoreKind.Logits;

    /// <summary>Class logits <c>[N, ClassCount]</c>.</summary>
    public override Tensor forward(Tensor images)
    {
        ModelChecks.Images(images, InputSize, nameof(DirectWithParameters));
        return network.call(images);
    }

    /// <summary>Class logits <c>[N, ClassCount]</c> and pose estimates <c>[N, P]</c> from one pass.</summary>
    public (Tensor logits, Tensor parameters) ForwardWithParameters(Tensor images)
    {
        ModelChecks.Images(images, InputSize, nameof(DirectWithParameters));
        using var scope = NewDisposeScope();
        var (logits, embedding) = network.ForwardWithEmbedding(images);
        var parameters = pose.call(embedding);
        return (logits.MoveToOuterDisposeScope(), parameters.MoveToOuterDisposeScope());
    }

    /// <summary>The training loss: softmax cross entropy of the classes plus the pose head's Euclidean loss on the
    /// rows whose class is not None.</summary>
    public Tensor Loss(Tensor images, Tensor classes, Tensor targetParameters)
    {
        using var scope = NewDisposeScope();
        var (logits, parameters) = ForwardWithParameters(images);
        var classLoss = nn.functional.cross_entropy(logits, classes);
        var objects = NoneClassIndex < 0 ? ones_like(classes, ScalarType.Bool) : classes.ne(HeldScalars.Held(NoneClassIndex));
        var poseLoss = Losses.MaskedEuclidean(parameters, targetParameters.to_type(parameters.dtype), objects);
        return (classLoss + poseLoss).MoveToOuterDisposeScope();
    }

    public Tensor Scores(Tensor images) => forward(images);

    public Tensor Decide(Tensor scores) => ModelChecks.Argmax(scores, ClassCount);

    public Tensor TargetLoss(Tensor scores, Tensor targets) => ModelChecks.CrossEntropyPerSample(scores, targets, ClassCount);
}
