using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Options of <see cref="IterativeFgsm"/>.</summary>
public sealed class IterativeFgsmOptions : AttackOptions
{
    public IterativeFgsmOptions()
    {
        Target = TargetSelection.NextClass;
    }

    /// <summary>Step α in the range's units; default one grey level (1 on [0, 255], 1/255 on [0, 1]).</summary>
    public double? StepSize;

    /// <summary>Steps after which a sample that has not flipped gives up (the paper: 10,000).</summary>
    public int MaxSteps = 10_000;

    internal override void Validate()
    {
        base.Validate();
        if (StepSize is { } s) Positive(s, nameof(StepSize));
        AtLeast(MaxSteps, 0, nameof(MaxSteps));
    }
}

/// <summary>
/// Iterative FGSM until the label flips (Ding and Moeller; Berntsen et al., PAPERS.md §1-§2):
/// <c>x*ₙ = clip(x*ₙ₋₁ − α·sign(∇ₓJ(x*ₙ₋₁, target)), range)</c> (untargeted: + α·sign(∇J(·, label))), with
/// no ε-ball. Each sample stops at the first step whose prediction meets its goal; <see cref="AttackResult.Steps"/>
/// records that step (0 when the clean image already meets it). Targeted at the next class by default.
/// </summary>
public sealed class IterativeFgsm : Attack
{
    public IterativeFgsm(IAttackTarget model, IterativeFgsmOptions? options = null) : base(model, options ?? new IterativeFgsmOptions()) { }

    public override string Name => "iterative-fgsm";

    private new IterativeFgsmOptions Options => (IterativeFgsmOptions)base.Options;

    private protected override bool MinimalPerturbation => true;

    private protected override Tensor RunCore(AttackBatch batch, int[] steps)
    {
        var alpha = Options.StepSize ?? batch.Range.GreyLevel;
        return GradientIteration.Run(batch, batch.Images, Options.MaxSteps, stopAtSuccess: true, steps,
            (x, direction, _, _) => batch.Clip(x.add(direction.sign(), HeldScalars.Held(alpha))));
    }
}
