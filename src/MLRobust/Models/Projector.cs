using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>
/// Stage 2 of the triple-staged network: draws the object from its pose parameters and one-hot class (PAPERS.md §1).
/// fc512 → fc512 → fc384 → fc384 → fc(C·(S/8)²), each LeakyReLU(0.1); reshape to C×(S/8)×(S/8); deconvolutions 4×4
/// stride 2 pad 1 (LeakyReLU) to 96 channels at S/4 and 32 at S/2; then two 1-channel S×S deconvolution heads, an
/// intensity image and a mask (sigmoid). Output image = intensity · mask. S must be a multiple of 8.
/// </summary>
public sealed class Projector : nn.Module<Tensor, Tensor, Projection>
{
    private const double Slope = 0.1;

    private readonly Sequential fc;
    private readonly Sequential deconv;
    private readonly ConvTranspose2d intensity;
    private readonly ConvTranspose2d mask;

    public Projector(int classCount, int parameterCount, long outputSize = 64, ProjectorWidths? widths = null)
        : base(nameof(Projector))
    {
        if (classCount < 1) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "at least one object class is needed");
        if (parameterCount < 1) throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "at least one pose parameter is needed");
        if (outputSize < 8 || outputSize % 8 != 0)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "the projector draws images whose side is a multiple of 8 (three 2x deconvolutions)");
        var w = widths ?? new ProjectorWidths();
        ClassCount = classCount;
        ParameterCount = parameterCount;
        OutputSize = outputSize;
        Widths = w;
        SeedSize = outputSize / 8;
        fc = nn.Sequential(
            ("fc1", nn.Linear(parameterCount + classCount, w.Fc1)), ("relu1", new HeldSlopeLeakyReLU(Slope)),
            ("fc2", nn.Linear(w.Fc1, w.Fc2)), ("relu2", new HeldSlopeLeakyReLU(Slope)),
            ("fc3", nn.Linear(w.Fc2, w.Fc3)), ("relu3", new HeldSlopeLeakyReLU(Slope)),
            ("fc4", nn.Linear(w.Fc3, w.Fc4)), ("relu4", new HeldSlopeLeakyReLU(Slope)),
            ("fc5", nn.Linear(w.Fc4, w.SeedChannels * SeedSize * SeedSize)), ("relu5", new HeldSlopeLeakyReLU(Slope)));
        deconv = nn.Sequential(
            ("deconv1", nn.ConvTranspose2d(w.SeedChannels, w.Deconv1, 4, stride: 2, padding: 1)), ("relu6", new HeldSlopeLeakyReLU(Slope)),
            ("deconv2", nn.ConvTranspose2d(w.Deconv1, w.Deconv2, 4, stride: 2, padding: 1)), ("relu7", new HeldSlopeLeakyReLU(Slope)));
        intensity = nn.ConvTranspose2d(w.Deconv2, 1, 4, stride: 2, padding: 1);
        mask = nn.ConvTranspose2d(w.Deconv2, 1, 4, stride: 2, padding: 1);
        RegisterComponents();
    }

    public int ClassCount { get; }
    public int ParameterCount { get; }
    public long OutputSize { get; }
    public ProjectorWidths Widths { get; }

    /// <summary>S/8, the side of the map the fully connected layers produce.</summary>
    public long SeedSize { get; }

    /// <summary>Draws parameters <c>[N, P]</c> of one-hot classes <c>[N, K]</c>.</summary>
    public override Projection forward(Tensor parameters, Tensor oneHotClasses)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ModelChecks.Scores(parameters, ParameterCount, nameof(Projector) + " parameters");
        ModelChecks.Scores(oneHotClasses, ClassCount, nameof(Projector) + " classes");
        using var scope = NewDisposeScope();
        var n = parameters.size(0);
        var seed = fc.call(cat(new[] { parameters, oneHotClasses }, 1)).reshape(n, Widths.SeedChannels, SeedSize, SeedSize);
        var features = deconv.call(seed);
        var drawn = intensity.call(features);
        var logits = mask.call(features);
        var alpha = logits.sigmoid();
        return new Projection(drawn * alpha, alpha, logits, drawn).MoveToOuterDisposeScope();
    }
}
