using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>
/// The direct-classification baseline of PAPERS.md §1: AlexNet-small on a 1-channel S×S image with one output per
/// class (the paper's 3 objects + None = 4), trained with softmax cross entropy.
/// </summary>
public sealed class DirectClassifier : nn.Module<Tensor, Tensor>, IDifferentiableClassifier
{
    private readonly AlexNetSmall network;

    /// <remarks><paramref name="classCount"/>: Outputs, None included when the data has a None class. <paramref name="noneClassIndex"/>: Which class means "no object" (-1: none); it only informs attacks and reports.</remarks>
    public DirectClassifier(int classCount, int noneClassIndex = -1, long inputSize = 64, AlexNetSmallWidths? widths = null,
        double dropout = 0.5, bool referenceInitialisation = true)
        : base(nameof(DirectClassifier))
    {
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "a classifier needs at least 2 classes");
        if (noneClassIndex < -1 || noneClassIndex >= classCount)
            throw new ArgumentOutOfRangeException(nameof(noneClassIndex), noneClassIndex, $"must be -1 or a class index below {classCount}");
        ClassCount = classCount;
        NoneClassIndex = noneClassIndex;
        InputSize = inputSize;
        network = new AlexNetSmall(1, classCount, inputSize, widths, dropout, referenceInitialisation);
        RegisterComponents();
    }

    public int ClassCount { get; }
    public int NoneClassIndex { get; }
    public long InputSize { get; }
    public AlexNetSmallWidths Widths => network.Widths;
    public double Dropout => network.Dropout;
    public ClassifierScoreKind ScoreKind => ClassifierScoreKind.Logits;

    /// <summary>Logits <c>[N, ClassCount]</c> of images <c>[N, 1, S, S]</c>.</summary>
    public override Tensor forward(Tensor images)
    {
        ModelChecks.Images(images, InputSize, nameof(DirectClassifier));
        return network.call(images);
    }

    public Tensor Scores(Tensor images) => forward(images);

    public Tensor Decide(Tensor scores) => ModelChecks.Argmax(scores, ClassCount);

    public Tensor TargetLoss(Tensor scores, Tensor targets) => ModelChecks.CrossEntropyPerSample(scores, targets, ClassCount);
}
