using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Options of <see cref="Fgsm"/>.</summary>
public sealed class FgsmOptions : AttackOptions
{
    /// <summary>Step size ε in the range's units; default 8 grey levels (8/255 on [0, 1]).</summary>
    public double? Epsilon;

    /// <summary>Minimal-perturbation mode (as ART's minimal=True): try ε = step, 2·step, … up to
    /// <see cref="MaxEpsilon"/> along the clean gradient's sign and keep, per sample, the first that meets the goal.</summary>
    public bool Minimal;

    /// <summary>Increment of the minimal mode; default 1 grey level.</summary>
    public double? EpsilonStep;

    /// <summary>Largest ε of the minimal mode; default the whole range width.</summary>
    public double? MaxEpsilon;

    internal override void Validate()
    {
        base.Validate();
        if (Epsilon is { } e) NonNegative(e, nameof(Epsilon));
        if (EpsilonStep is { } s) Positive(s, nameof(EpsilonStep));
        if (MaxEpsilon is { } m) Positive(m, nameof(MaxEpsilon));
    }
}

/// <summary>
/// Fast gradient sign method (Goodfellow; PAPERS.md §4): <c>x' = clip(x + ε·sign(∇ₓJ(x, y)))</c>, or for a
/// target <c>x' = clip(x − ε·sign(∇ₓJ(x, t)))</c>. One step; in minimal mode, the smallest ε of a grid.
/// </summary>
public sealed class Fgsm : Attack
{
    public Fgsm(IAttackTarget model, FgsmOptions? options = null) : base(model, options ?? new FgsmOptions()) { }

    public override string Name => "fgsm";

    private new FgsmOptions Options => (FgsmOptions)base.Options;

    private protected override bool MinimalPerturbation => Options.Minimal;

    private protected override Tensor RunCore(AttackBatch batch, int[] steps)
    {
        var range = batch.Range;
        using var scope = NewDisposeScope();
        var (direction, _) = batch.GoalDirection(batch.Images, batch.GoalLabels);
        var sign = direction.sign();
        if (!Options.Minimal)
        {
            Array.Fill(steps, 1);
            var epsilon = Options.Epsilon ?? range.Levels(8);
            return batch.Clip(batch.Images.add(sign, HeldScalars.Held(epsilon))).MoveToOuterDisposeScope();
        }

        var step = Options.EpsilonStep ?? range.GreyLevel;
        var max = Options.MaxEpsilon ?? range.Width;
        var trials = Math.Max(1, (int)Math.Floor(max / step + 1e-9));
        var result = batch.Images.clone();
        var active = Enumerable.Range(0, batch.Count).ToList();
        for (var k = 1; k <= trials && active.Count > 0; k++)
        {
            using var inner = NewDisposeScope();
            var indices = tensor(active.Select(i => (long)i).ToArray(), device: result.device);
            var candidate = batch.Clip(batch.Images.index_select(0, indices).add(sign.index_select(0, indices), HeldScalars.Held(k * step)));
            var met = batch.Meets(batch.Predict(candidate), batch.GoalLabels.index_select(0, indices)).cpu().data<bool>().ToArray();
            var still = new List<int>();
            for (var j = 0; j < active.Count; j++)
            {
                steps[active[j]] = k;
                if (!met[j]) still.Add(active[j]);
            }
            // Every sample keeps its latest try; one that met the goal keeps it for good.
            result.index_put_(candidate, indices);
            active = still;
        }
        return result.MoveToOuterDisposeScope();
    }
}
