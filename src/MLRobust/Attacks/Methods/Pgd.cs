using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>The norm of a PGD ball.</summary>
public enum PgdNorm
{
    LInf,
    L2,
}

/// <summary>Options of <see cref="Pgd"/>.</summary>
public sealed class PgdOptions : AttackOptions
{
    public PgdNorm Norm = PgdNorm.LInf;

    /// <summary>Radius ε; default 8 grey levels for L∞, 1.0·(range width) for L2.</summary>
    public double? Epsilon;

    /// <summary>Step α; default 2 grey levels for L∞, 0.2·(range width) for L2.</summary>
    public double? StepSize;

    /// <summary>Iterations; default 10.</summary>
    public int Steps = 10;

    /// <summary>Start at a uniform random point of the ball (per-sample seeded); default true.</summary>
    public bool RandomStart = true;

    /// <summary>Minimal-perturbation mode: each sample stops at the first iterate that meets its goal.</summary>
    public bool EarlyStop;

    internal override void Validate()
    {
        base.Validate();
        if (!Enum.IsDefined(Norm)) throw new ArgumentOutOfRangeException(nameof(Norm), Norm, "Unknown norm.");
        if (Epsilon is { } e) NonNegative(e, nameof(Epsilon));
        if (StepSize is { } s) Positive(s, nameof(StepSize));
        AtLeast(Steps, 0, nameof(Steps));
    }
}

/// <summary>
/// Projected gradient descent (Madry et al.; PAPERS.md §5). L∞: <c>x ← Π(x + α·sign(∇))</c>, random start
/// uniform in [−ε, ε]. L2: <c>x ← Π(x + α·∇/‖∇‖₂)</c> (per-sample norm), random start in the ball (a Gaussian
/// direction scaled to radius ε·u, u uniform in [0, 1]). Π projects on the ball around the clean image, then
/// on the input range. ∇ is the goal direction.
/// </summary>
public sealed class Pgd : Attack
{
    public Pgd(IAttackTarget model, PgdOptions? options = null) : base(model, options ?? new PgdOptions()) { }

    public override string Name => Options.Norm == PgdNorm.LInf ? "pgd" : "pgd-l2";

    private new PgdOptions Options => (PgdOptions)base.Options;

    /// <summary>Guards divisions by a zero norm (as torchattacks' 1e-10).</summary>
    internal const double NormFloor = 1e-10;

    private protected override Tensor RunCore(AttackBatch batch, int[] steps)
    {
        var range = batch.Range;
        var linf = Options.Norm == PgdNorm.LInf;
        var epsilon = Options.Epsilon ?? (linf ? range.Levels(8) : range.Width);
        var alpha = Options.StepSize ?? (linf ? range.Levels(2) : 0.2 * range.Width);
        using var scope = NewDisposeScope();
        var start = Options.RandomStart ? batch.Clip(batch.Images + RandomStart(batch, Options.Norm, epsilon)) : batch.Images;
        var result = linf
            ? GradientIteration.Run(batch, start, Options.Steps, Options.EarlyStop, steps,
                (x, direction, clean, _) => LInfBall.Project(batch, x.add(direction.sign(), HeldScalars.Held(alpha)), clean, epsilon))
            : GradientIteration.Run(batch, start, Options.Steps, Options.EarlyStop, steps,
                (x, direction, clean, _) => ProjectL2(batch, x + direction / (AttackBatch.SampleNorm(direction) + HeldScalars.Held(NormFloor)) * HeldScalars.Held(alpha), clean, epsilon));
        return result.MoveToOuterDisposeScope();
    }

    private static Tensor ProjectL2(AttackBatch batch, Tensor x, Tensor clean, double epsilon)
    {
        using var scope = NewDisposeScope();
        var delta = x - clean;
        var norm = AttackBatch.SampleNorm(delta);
        var factor = (HeldScalars.Held(epsilon) / (norm + HeldScalars.Held(NormFloor))).clamp_max(HeldScalars.One);
        return batch.Clip(clean + delta * factor).MoveToOuterDisposeScope();
    }

    /// <summary>The random start δ₀ [N, …] of each sample, drawn from its own stream (so batching does not
    /// change it). L∞: uniform in [−ε, ε]. L2: ε·u·z/‖z‖ with z standard normal and u uniform in [0, 1].</summary>
    internal static Tensor RandomStart(AttackBatch batch, PgdNorm norm, double epsilon) =>
        tensor(RandomStartValues(batch.Images.shape, norm, epsilon, batch.Seed, batch.SampleIds), batch.Images.shape, device: batch.Images.device);

    /// <summary>The values of <see cref="RandomStart(AttackBatch, PgdNorm, double)"/>, flattened.</summary>
    internal static float[] RandomStartValues(long[] shape, PgdNorm norm, double epsilon, int seed, long[] sampleIds)
    {
        var n = (int)shape[0];
        var d = (int)(shape.Aggregate(1L, (a, b) => a * b) / Math.Max(1, n));
        var values = new float[(long)n * d];
        for (var i = 0; i < n; i++)
        {
            var rng = new SampleRandom(seed, sampleIds[i]);
            var row = values.AsSpan(i * d, d);
            if (norm == PgdNorm.LInf) rng.Uniform(row, -epsilon, epsilon);
            else
            {
                var z = new double[d];
                double sq = 0;
                for (var k = 0; k < d; k++)
                {
                    z[k] = rng.NextGaussian();
                    sq += z[k] * z[k];
                }
                var radius = epsilon * rng.NextDouble() / Math.Max(Math.Sqrt(sq), NormFloor);
                for (var k = 0; k < d; k++) row[k] = (float)(z[k] * radius);
            }
        }
        return values;
    }
}
