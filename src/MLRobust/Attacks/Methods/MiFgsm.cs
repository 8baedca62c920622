using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Options of <see cref="MiFgsm"/>.</summary>
public sealed class MiFgsmOptions : AttackOptions
{
    /// <summary>ε of the L∞ ball; default 8 grey levels.</summary>
    public double? Epsilon;

    /// <summary>Iterations T; default 10.</summary>
    public int Steps = 10;

    /// <summary>Step α; default ε / T.</summary>
    public double? StepSize;

    /// <summary>Momentum decay μ; default 1.</summary>
    public double Decay = 1.0;

    /// <summary>Minimal-perturbation mode: each sample stops at the first iterate that meets its goal.</summary>
    public bool EarlyStop;

    internal override void Validate()
    {
        base.Validate();
        if (Epsilon is { } e) NonNegative(e, nameof(Epsilon));
        if (StepSize is { } s) Positive(s, nameof(StepSize));
        AtLeast(Steps, 1, nameof(Steps));
        NonNegative(Decay, nameof(Decay));
    }
}

/// <summary>
/// Momentum iterative FGSM (Dong et al.; PAPERS.md §5): <c>gₜ₊₁ = μ·gₜ + ∇ / ‖∇‖₁</c> with the L1 norm taken
/// per sample (not per batch: torchattacks #12) and not floored (only an all-zero gradient is left as it is),
/// <c>xₜ₊₁ = Clip_{x,ε}(xₜ + α·sign(gₜ₊₁))</c>. ∇ is the goal direction (the negated target gradient when targeted).
/// </summary>
public sealed class MiFgsm : Attack
{
    public MiFgsm(IAttackTarget model, MiFgsmOptions? options = null) : base(model, options ?? new MiFgsmOptions()) { }

    public override string Name => "mi-fgsm";

    private new MiFgsmOptions Options => (MiFgsmOptions)base.Options;


    private protected override Tensor RunCore(AttackBatch batch, int[] steps)
    {
        var range = batch.Range;
        var epsilon = Options.Epsilon ?? range.Levels(8);
        var alpha = Options.StepSize ?? epsilon / Options.Steps;
        var decay = Options.Decay;
        var momentum = zeros_like(batch.Images);
        try
        {
            return GradientIteration.Run(batch, batch.Images, Options.Steps, Options.EarlyStop, steps, (x, direction, clean, indices) =>
            {
                var g = indices is null ? momentum : momentum.index_select(0, indices);
                // The true per-sample L1 norm: confident networks have real gradients far below any floor one might
                // pick, and rescaling them would change the update. Only an all-zero gradient is guarded (0 / 1 = 0).
                var l1 = AttackBatch.SampleNorm(direction, 1);
                var next = g * HeldScalars.Held(decay) + direction / l1.masked_fill(l1.eq(HeldScalars.Zero), HeldScalars.One);
                if (indices is null) momentum.copy_(next);
                else momentum.index_put_(next, indices);
                return LInfBall.Project(batch, x.add(next.sign(), HeldScalars.Held(alpha)), clean, epsilon);
            });
        }
        finally
        {
            momentum.Dispose();
        }
    }
}
