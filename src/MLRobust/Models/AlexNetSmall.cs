using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>Layer widths of <see cref="AlexNetSmall"/>; the defaults are the paper's.</summary>
public sealed record AlexNetSmallWidths(long Conv1 = 16, long Conv2 = 64, long Conv3 = 96, long Conv4 = 96, long Conv5 = 64, long Fc = 1024);

/// <summary>"AlexNet-small", the direct classifier of "The Artificial Mind's Eye" (PAPERS.md §1) and the
/// trunk of its pose estimator: five 3x3 convolutions with ReLU, LRN(5, 1e-4, 0.75) after the first two,
/// three 3/2 max-pools with ceil rounding (64 → 31 → 15 → 7), then fc-ReLU-dropout twice and a linear
/// output. Generalised to any input channel count, output count and input size.</summary>
public sealed class AlexNetSmall : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Sequential classifier;

    /// <remarks><paramref name="referenceInitialisation"/>: true (the default): the reference code's Gaussian initialisation; false: PyTorch's default (Kaiming-uniform), which starts learning faster in short runs.</remarks>
    public AlexNetSmall(long inputChannels = 1, long outputs = 4, long inputSize = 64, AlexNetSmallWidths? widths = null, double dropout = 0.5,
        bool referenceInitialisation = true)
        : base(nameof(AlexNetSmall))
    {
        if (inputChannels < 1) throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "at least one input channel is needed");
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "at least one output is needed");
        var w = widths ?? new AlexNetSmallWidths();
        var spatial = FeatureSize(inputSize);
        InputChannels = inputChannels;
        Outputs = outputs;
        InputSize = inputSize;
        features = nn.Sequential(
            ("conv1", nn.Conv2d(inputChannels, w.Conv1, 3)), ("relu1", nn.ReLU()), ("norm1", new LocalResponseNorm(5, 1e-4, 0.75, 1.0)),
            ("pool1", nn.MaxPool2d(3, 2, ceil_mode: true)),
            ("conv2", nn.Conv2d(w.Conv1, w.Conv2, 3, padding: 1)), ("relu2", nn.ReLU()), ("norm2", new LocalResponseNorm(5, 1e-4, 0.75, 1.0)),
            ("pool2", nn.MaxPool2d(3, 2, ceil_mode: true)),
            ("conv3", nn.Conv2d(w.Conv2, w.Conv3, 3, padding: 1)), ("relu3", nn.ReLU()),
            ("conv4", nn.Conv2d(w.Conv3, w.Conv4, 3, padding: 1)), ("relu4", nn.ReLU()),
            ("conv5", nn.Conv2d(w.Conv4, w.Conv5, 3, padding: 1)), ("relu5", nn.ReLU()),
            ("pool5", nn.MaxPool2d(3, 2, ceil_mode: true)),
            ("flatten", nn.Flatten()));
        classifier = nn.Sequential(
            ("fc6", nn.Linear(w.Conv5 * spatial * spatial, w.Fc)), ("relu6", nn.ReLU()), ("drop6", nn.Dropout(dropout)),
            ("fc7", nn.Linear(w.Fc, w.Fc)), ("relu7", nn.ReLU()), ("drop7", nn.Dropout(dropout)),
            ("fc8", nn.Linear(w.Fc, outputs)));
        RegisterComponents();
        if (referenceInitialisation) InitialiseAsReference();
        Widths = w;
        Dropout = dropout;
    }

    public AlexNetSmallWidths Widths { get; }

    /// <summary>The dropout probability after fc6 and fc7 (training mode only).</summary>
    public double Dropout { get; }

    public long InputChannels { get; }
    public long Outputs { get; }
    public long InputSize { get; }

    /// <summary>Side of the last feature map: three 3/2 max-pools with ceil rounding after a valid 3x3 conv.</summary>
    public static long FeatureSize(long inputSize)
    {
        var s = inputSize - 2;
        for (var k = 0; k < 3; k++)
        {
            if (s < 3) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "input too small for AlexNet-small (needs at least 17 pixels)");
            s = (long)Math.Ceiling((s - 3) / 2.0) + 1;
        }
        return s;
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var f = features.call(input);
        return classifier.call(f).MoveToOuterDisposeScope();
    }

    /// <summary>The 1024-wide penultimate activations (after fc7), e.g. for a second head.</summary>
    public Tensor Embed(Tensor input)
    {
        using var scope = NewDisposeScope();
        return EmbedCore(input).MoveToOuterDisposeScope();
    }

    /// <summary>The outputs and the penultimate activations they were computed from, in one pass
    /// (a second head reads the embedding without running the trunk twice).</summary>
    public (Tensor output, Tensor embedding) ForwardWithEmbedding(Tensor input)
    {
        using var scope = NewDisposeScope();
        var embedding = EmbedCore(input);
        var output = ((nn.Module<Tensor, Tensor>)classifier.named_children().Last().module).call(embedding);
        return (output.MoveToOuterDisposeScope(), embedding.MoveToOuterDisposeScope());
    }

    private Tensor EmbedCore(Tensor input)
    {
        var x = features.call(input);
        foreach (var (name, layer) in classifier.named_children())
        {
            if (name == "fc8") break;
            x = ((nn.Module<Tensor, Tensor>)layer).call(x);
        }
        return x;
    }

    /// <summary>Copies every layer but the output layer (fc8) from <paramref name="source"/>, a trained AlexNet-small of the same
    /// widths and input size (transfer learning). When this network has more input channels, the first convolution's weights
    /// for the extra channels start at zero, so it computes the source's features of the first channels.</summary>
    public void CopyTrunkFrom(AlexNetSmall source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Widths != Widths)
            throw new ArgumentException($"the source network's widths ({source.Widths}) differ from this network's ({Widths})", nameof(source));
        if (source.InputSize != InputSize)
            throw new ArgumentException($"the source network takes {source.InputSize}x{source.InputSize} images; this one takes {InputSize}x{InputSize}", nameof(source));
        if (source.InputChannels > InputChannels)
            throw new ArgumentException($"the source network has {source.InputChannels} input channels; this one only {InputChannels}", nameof(source));
        var from = source.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.StartsWith("classifier.fc8", StringComparison.Ordinal)) continue;
            var q = from[name];
            if (name == "features.conv1.weight" && q.size(1) != p.size(1))
            {
                p.zero_();
                p.narrow(1, 0, q.size(1)).copy_(q);
            }
            else p.copy_(q);
        }
    }

    /// <summary>Copies <paramref name="source"/>'s weight <c>[Outputs, Fc]</c> and bias into the output layer (fc8): a head trained on
    /// the same embedding, such as the pose head of <see cref="DirectWithParameters"/>.</summary>
    public void CopyOutputLayerFrom(Linear source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (weight, bias) = (source.weight!, source.bias);
        if (weight.size(0) != Outputs || weight.size(1) != Widths.Fc)
            throw new ArgumentException($"the source layer maps {weight.size(1)} inputs to {weight.size(0)} outputs; this network's output layer maps {Widths.Fc} to {Outputs}", nameof(source));
        if (bias is null) throw new ArgumentException("the source layer has no bias; the output layer needs one", nameof(source));
        var to = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        to["classifier.fc8.weight"].copy_(weight);
        to["classifier.fc8.bias"].copy_(bias);
    }

    /// <summary>The reference code's initialisation: Gaussian weights (std 0.01 for convolutions and the
    /// output layer, 0.005 for fc6/fc7), zero biases.</summary>
    private void InitialiseAsReference()
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) nn.init.zeros_(p);
            else nn.init.normal_(p, 0, name.Contains("fc6") || name.Contains("fc7") ? 0.005 : 0.01);
        }
    }
}
