using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Options of <see cref="Jsma"/>.</summary>
public sealed class JsmaOptions : AttackOptions
{
    public JsmaOptions()
    {
        Target = TargetSelection.NextClass;
    }

    /// <summary>Change θ of a chosen feature, as a fraction of the range width (+1: set to the maximum); default 1.</summary>
    public double Theta = 1.0;

    /// <summary>Largest fraction γ of features the attack may change; default 0.1.</summary>
    public double Gamma = 0.1;

    /// <summary>Bound on the values of the pair-saliency block evaluated at once (memory).</summary>
    public long PairBlockElements = 1L << 24;

    internal override void Validate()
    {
        base.Validate();
        if (Target == TargetSelection.Untargeted)
            throw new ArgumentException("JSMA is a targeted attack: choose a target selection (NextClass, LeastLikely, Given or None).", nameof(Target));
        if (!double.IsFinite(Theta) || Theta == 0 || Math.Abs(Theta) > 1) throw new ArgumentOutOfRangeException(nameof(Theta), Theta, "Theta must be non-zero, in [-1, 1].");
        if (!(Gamma > 0 && Gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, "Gamma must be in (0, 1].");
        if (PairBlockElements < 1024) throw new ArgumentOutOfRangeException(nameof(PairBlockElements), PairBlockElements, "At least 1024.");
    }
}

/// <summary>
/// Jacobian-based saliency map attack (Papernot et al.; PAPERS.md §5), batched over samples, for any number of
/// classes. Each iteration takes α = ∂Z_t/∂x and β = Σ_{j≠t} ∂Z_j/∂x (Z the evidence), and among pairs (p, q) of
/// features still in the search domain picks the one maximising (α_p + α_q)·|β_p + β_q| with α-sum &gt; 0 and
/// β-sum &lt; 0 (signs swapped for θ &lt; 0), then moves both by θ·W. Features that reach the range bound leave the
/// domain. A sample stops when it reaches its target, when no pair qualifies, or after ⌊γ·D/2⌋ iterations.
/// </summary>
public sealed class Jsma : Attack
{
    public Jsma(IAttackTarget model, JsmaOptions? options = null) : base(model, options ?? new JsmaOptions()) { }

    public override string Name => "jsma";

    private new JsmaOptions Options => (JsmaOptions)base.Options;

    private protected override Tensor RunCore(AttackBatch batch, int[] steps)
    {
        var n = batch.Count;
        var d = batch.Features;
        var range = batch.Range;
        var increase = Options.Theta > 0;
        var change = Options.Theta * range.Width;
        var maxIterations = (int)Math.Floor(d * Options.Gamma / 2);
        var device = batch.Images.device;
        var x = batch.Images.reshape(n, d).clone();
        var domain = increase ? x.lt(HeldScalars.Held(range.Max)) : x.gt(HeldScalars.Held(range.Min));
        var active = Enumerable.Range(0, n).ToList();
        try
        {
            for (var t = 0; active.Count > 0; t++)
            {
                using var scope = NewDisposeScope();
                var idx = tensor(active.Select(i => (long)i).ToArray(), device: device);
                var xa = x.index_select(0, idx);
                var goals = batch.GoalLabels.index_select(0, idx);
                var xg = xa.reshape(ShapeOf(batch.Images, active.Count)).detach().requires_grad_(true);
                Tensor evidence;
                using (enable_grad()) evidence = batch.Model.Evidence(batch.Model.Forward(xg));
                var met = batch.Meets(evidence.detach().argmax(1), goals).cpu().data<bool>().ToArray();
                for (var k = 0; k < active.Count; k++) steps[active[k]] = t;
                if (t == maxIterations || met.All(m => m)) break;

                Tensor alpha, total;
                using (enable_grad())
                {
                    alpha = autograd.grad(new[] { evidence.gather(1, goals.unsqueeze(1)).sum() }, new[] { xg }, retain_graph: true)[0]!;
                    total = autograd.grad(new[] { evidence.sum() }, new[] { xg })[0]!;
                }
                var a = alpha.reshape(active.Count, d);
                var b = total.reshape(active.Count, d) - a;
                var (found, p, q) = BestPairs(a, b, domain.index_select(0, idx), increase);

                var still = new List<int>();
                var rows = new List<long>();
                var ps = new List<long>();
                var qs = new List<long>();
                for (var k = 0; k < active.Count; k++)
                {
                    if (met[k] || !found[k]) continue;
                    still.Add(active[k]);
                    rows.Add(active[k]);
                    ps.Add(p[k]);
                    qs.Add(q[k]);
                }
                if (rows.Count > 0)
                {
                    var r = tensor(rows.ToArray(), device: device);
                    var cols = tensor(ps.Concat(qs).ToArray(), device: device);
                    var rr = cat(new[] { r, r });
                    var moved = x.index(rr, cols).add(HeldScalars.Held(change)).clamp(HeldScalars.Held(range.Min), HeldScalars.Held(range.Max));
                    x.index_put_(moved, rr, cols);
                    var inDomain = increase ? moved.lt(HeldScalars.Held(range.Max)) : moved.gt(HeldScalars.Held(range.Min));
                    domain.index_put_(inDomain, rr, cols);
                }
                active = still;
            }
            return x.reshape(batch.Images.shape);
        }
        finally
        {
            x.Dispose();
            domain.Dispose();
        }
    }

    private static long[] ShapeOf(Tensor images, int count)
    {
        var shape = images.shape;
        shape[0] = count;
        return shape;
    }

    /// <summary>Per sample, the admissible pair (p, q) of largest saliency, searched in row blocks of bounded size.</summary>
    private (bool[] Found, long[] P, long[] Q) BestPairs(Tensor a, Tensor b, Tensor domain, bool increase)
    {
        var n = a.size(0);
        var d = a.size(1);
        var block = Math.Max(1, Options.PairBlockElements / Math.Max(1, n * d));
        var bestScore = full(new[] { n }, HeldScalars.NegativeInfinity, a.dtype, a.device);
        var bestIndex = zeros(new[] { n }, ScalarType.Int64, a.device);
        var columns = arange(d, ScalarType.Int64, a.device);
        for (long r0 = 0; r0 < d; r0 += block)
        {
            using var scope = NewDisposeScope();
            var rb = Math.Min(block, d - r0);
            var aSum = a.narrow(1, r0, rb).unsqueeze(2) + a.unsqueeze(1);
            var bSum = b.narrow(1, r0, rb).unsqueeze(2) + b.unsqueeze(1);
            var valid = increase ? aSum.gt(HeldScalars.Zero) & bSum.lt(HeldScalars.Zero) : aSum.lt(HeldScalars.Zero) & bSum.gt(HeldScalars.Zero);
            valid = valid & domain.narrow(1, r0, rb).unsqueeze(2) & domain.unsqueeze(1);
            var diagonal = arange(HeldScalars.Held(r0), HeldScalars.Held(r0 + rb), ScalarType.Int64, a.device).unsqueeze(1).eq(columns.unsqueeze(0));
            valid = valid & diagonal.logical_not().unsqueeze(0);
            var score = (aSum * bSum).abs().masked_fill(valid.logical_not(), HeldScalars.NegativeInfinity).reshape(n, -1);
            var (value, index) = score.max(1);
            var better = value.gt(bestScore);
            bestScore.copy_(where(better, value, bestScore));
            bestIndex.copy_(where(better, index + HeldScalars.Held(r0 * d), bestIndex));
        }
        var found = bestScore.isfinite().cpu().data<bool>().ToArray();
        var flat = bestIndex.cpu().data<long>().ToArray();
        bestScore.Dispose();
        bestIndex.Dispose();
        columns.Dispose();
        return (found, flat.Select(f => f / d).ToArray(), flat.Select(f => f % d).ToArray());
    }
}
