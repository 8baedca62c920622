using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Options of <see cref="Bim"/>.</summary>
public sealed class BimOptions : AttackOptions
{
    /// <summary>ε of the L∞ ball; default 8 grey levels.</summary>
    public double? Epsilon;

    /// <summary>Step α; default one grey level.</summary>
    public double? StepSize;

    /// <summary>Iterations; default Kurakin's min(ε + 4, 1.25·ε) with ε in grey levels (truncated, at least 1).</summary>
    public int? Steps;

    /// <summary>Minimal-perturbation mode: each sample stops at the first iterate that meets its goal.</summary>
    public bool EarlyStop;

    internal override void Validate()
    {
        base.Validate();
        if (Epsilon is { } e) NonNegative(e, nameof(Epsilon));
        if (StepSize is { } s) Positive(s, nameof(StepSize));
        if (Steps is { } n) AtLeast(n, 0, nameof(Steps));
    }
}

/// <summary>
/// Basic iterative method / I-FGSM (Kurakin; PAPERS.md §5):
/// <c>Xₙ₊₁ = Clip_{X,ε}{ Xₙ + α·sign(∇ₓJ(Xₙ, y)) }</c> (targeted: − α·sign(∇J(Xₙ, t))), starting at X.
/// The clip is <c>x₀ + clamp(x − x₀, −ε, ε)</c>, then the input range.
/// </summary>
public sealed class Bim : Attack
{
    public Bim(IAttackTarget model, BimOptions? options = null) : base(model, options ?? new BimOptions()) { }

    public override string Name => "bim";

    private new BimOptions Options => (BimOptions)base.Options;

    /// <summary>Kurakin's iteration count for ε grey levels: min(ε + 4, 1.25·ε), truncated, at least 1.</summary>
    public static int DefaultSteps(double epsilonGreyLevels) => Math.Max(1, (int)Math.Min(epsilonGreyLevels + 4, 1.25 * epsilonGreyLevels));

    private protected override Tensor RunCore(AttackBatch batch, int[] steps)
    {
        var range = batch.Range;
        var epsilon = Options.Epsilon ?? range.Levels(8);
        var alpha = Options.StepSize ?? range.GreyLevel;
        var iterations = Options.Steps ?? DefaultSteps(epsilon / range.GreyLevel);
        return GradientIteration.Run(batch, batch.Images, iterations, Options.EarlyStop, steps,
            (x, direction, clean, _) => LInfBall.Project(batch, x.add(direction.sign(), HeldScalars.Held(alpha)), clean, epsilon));
    }
}
