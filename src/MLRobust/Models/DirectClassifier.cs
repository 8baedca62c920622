using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>
/// The direct-classification baseline of PAPERS.md §1: AlexNet-small on a 1-channel S×S image with one output per
/// class (the paper's 3 objects + None = 4), trained with softmax cross entropy; or, in its place, a TorchSharp network
/// of your own with the same input and output.
/// </summary>
public sealed class DirectClassifier : nn.Module<Tensor, Tensor>, IDifferentiableClassifier
{
    private readonly nn.Module<Tensor, Tensor> network;

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

    /// <summary>A direct classifier around your own <paramref name="network"/>: it takes images <c>[N, 1, S, S]</c>
    /// (S = <paramref name="inputSize"/>) and returns logits <c>[N, classCount]</c>. <paramref name="networkName"/> names it
    /// for model files (see <see cref="CustomNetworks"/>).</summary>
    public DirectClassifier(nn.Module<Tensor, Tensor> network, int classCount, int noneClassIndex = -1, long inputSize = 64, string? networkName = null)
        : base(nameof(DirectClassifier))
    {
        ArgumentNullException.ThrowIfNull(network);
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "a classifier needs at least 2 classes");
        if (noneClassIndex < -1 || noneClassIndex >= classCount)
            throw new ArgumentOutOfRangeException(nameof(noneClassIndex), noneClassIndex, $"must be -1 or a class index below {classCount}");
        if (network is AlexNetSmall || network is DirectClassifier)
            throw new ArgumentException("pass your own network; MLRobust's AlexNet-small is built by the other constructor", nameof(network));
        ClassCount = classCount;
        NoneClassIndex = noneClassIndex;
        InputSize = inputSize;
        this.network = network;
        CustomNetworkName = networkName ?? network.GetType().FullName;
        RegisterComponents();
    }

    public int ClassCount { get; }
    public int NoneClassIndex { get; }
    public long InputSize { get; }

    /// <summary>AlexNet-small's layer widths; null for a network of your own.</summary>
    public AlexNetSmallWidths? Widths => (network as AlexNetSmall)?.Widths;

    /// <summary>The AlexNet-small inside (null for a custom network).</summary>
    internal AlexNetSmall? Trunk => network as AlexNetSmall;

    /// <summary>AlexNet-small's dropout; null for a network of your own.</summary>
    public double? Dropout => (network as AlexNetSmall)?.Dropout;

    /// <summary>The name of your own network (see <see cref="CustomNetworks"/>), or null for AlexNet-small.</summary>
    public string? CustomNetworkName { get; }

    public ClassifierScoreKind ScoreKind => ClassifierScoreKind.Logits;

    /// <summary>Logits <c>[N, ClassCount]</c> of images <c>[N, 1, S, S]</c>.</summary>
    public override Tensor forward(Tensor images)
    {
        ModelChecks.Images(images, InputSize, nameof(DirectClassifier));
        var logits = network.call(images);
        if (CustomNetworkName is not null && (logits.dim() != 2 || logits.size(0) != images.size(0) || logits.size(1) != ClassCount))
        {
            var shape = string.Join(", ", logits.shape);
            logits.Dispose();
            throw new InvalidOperationException(
                $"your network '{CustomNetworkName}' returned outputs of shape [{shape}] for {images.size(0)} images; a classifier of {ClassCount} classes must return logits [{images.size(0)}, {ClassCount}]");
        }
        return logits;
    }

    public Tensor Scores(Tensor images) => forward(images);

    public Tensor Decide(Tensor scores) => ModelChecks.Argmax(scores, ClassCount);

    public Tensor TargetLoss(Tensor scores, Tensor targets) => ModelChecks.CrossEntropyPerSample(scores, targets, ClassCount);
}
