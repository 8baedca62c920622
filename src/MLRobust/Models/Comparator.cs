using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>
/// Stage 3 of the triple-staged network, after Zagoruyko &amp; Komodakis' 2-channel patch network: three input
/// channels (query, projection, projected mask) → conv P×P /64 → ReLU → conv1×1 /64 → ReLU → conv1×1 /64 → ReLU →
/// conv1×1 /1 → sigmoid. On a P×P patch it gives one "same" probability; being a convolution it runs at stride 1 over
/// a whole image (64×64 → 55×55 for P = 10), which is how the merged network uses it.
/// </summary>
public sealed class Comparator : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public Comparator(ComparatorWidths? widths = null) : base(nameof(Comparator))
    {
        var w = widths ?? new ComparatorWidths();
        if (w.PatchSize < 1) throw new ArgumentOutOfRangeException(nameof(widths), w.PatchSize, "the patch size must be positive");
        Widths = w;
        layers = nn.Sequential(
            ("conv1", nn.Conv2d(3, w.Conv1, w.PatchSize)), ("relu1", nn.ReLU()),
            ("conv2", nn.Conv2d(w.Conv1, w.Conv2, 1)), ("relu2", nn.ReLU()),
            ("conv3", nn.Conv2d(w.Conv2, w.Conv3, 1)), ("relu3", nn.ReLU()),
            ("conv4", nn.Conv2d(w.Conv3, 1, 1)));
        RegisterComponents();
    }

    public ComparatorWidths Widths { get; }

    public long PatchSize => Widths.PatchSize;

    /// <summary>Logits <c>[N, 1, H − P + 1, W − P + 1]</c> of inputs <c>[N, 3, H, W]</c> (query, projection, mask); on P×P
    /// patches <c>[N, 1, 1, 1]</c>. The similarity is their sigmoid (<see cref="Similarity"/>).</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = input.shape;
        if (s.Length != 4 || s[1] != 3 || s[2] < PatchSize || s[3] < PatchSize)
            throw new ArgumentException($"{nameof(Comparator)}: expected input [N, 3, H, W] with H, W ≥ {PatchSize}, got [{string.Join(", ", s)}]", nameof(input));
        return layers.call(input);
    }

    /// <summary>The similarity map: sigmoid of <see cref="forward"/>.</summary>
    public Tensor Similarity(Tensor input)
    {
        using var scope = NewDisposeScope();
        return forward(input).sigmoid().MoveToOuterDisposeScope();
    }

    /// <summary>Stacks query, projection and mask (each <c>[N, 1, H, W]</c>) into the comparator's input.</summary>
    public static Tensor Stack(Tensor query, Tensor projection, Tensor mask) => cat(new[] { query, projection, mask }, 1);
}
