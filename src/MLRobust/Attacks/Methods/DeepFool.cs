using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Options of <see cref="DeepFool"/>.</summary>
public sealed class DeepFoolOptions : AttackOptions
{
    /// <summary>Overshoot η, applied to the total: x' = x + (1 + η)·Σrᵢ; default 0.02.</summary>
    public double Overshoot = 0.02;

    /// <summary>Iterations before giving up; default 50.</summary>
    public int MaxIterations = 50;

    /// <summary>Candidate classes: the top-k by clean evidence, the starting class included; default 10.</summary>
    public int Candidates = 10;

    internal override void Validate()
    {
        base.Validate();
        NonNegative(Overshoot, nameof(Overshoot));
        AtLeast(MaxIterations, 1, nameof(MaxIterations));
        AtLeast(Candidates, 2, nameof(Candidates));
    }
}

/// <summary>
/// DeepFool (Moosavi-Dezfooli et al.; PAPERS.md §5), batched: per iteration each active sample linearises the
/// evidence around its iterate, steps to the nearest boundary among its candidate classes,
/// <c>rᵢ = (|f_l| / ‖w_l‖ + 1e-4) · w_l / ‖w_l‖</c> (the reference implementation's margin: 1e-4 added to the distance),
/// and accumulates; the iterate is <c>clip(x + (1 + η)·Σrᵢ)</c> (the reference's overshoot, applied to the total).
/// A sample stops as soon as its prediction meets the goal; <see cref="AttackResult.Steps"/> counts its
/// updates. Untargeted it leaves the true label towards the nearest of the other top-k classes; targeted, the
/// only candidate is the target and the starting class is the current prediction. Minimal by construction.
/// </summary>
public sealed class DeepFool : Attack
{
    public DeepFool(IAttackTarget model, DeepFoolOptions? options = null) : base(model, options ?? new DeepFoolOptions()) { }

    public override string Name => "deepfool";

    private new DeepFoolOptions Options => (DeepFoolOptions)base.Options;

    private protected override bool MinimalPerturbation => true;

    /// <summary>Added to each step's distance to the boundary, in the range's units (the reference's 1e-4 on [0, 1]).</summary>
    internal const double Margin = 1e-4;

    private protected override Tensor RunCore(AttackBatch batch, int[] steps)
    {
        var n = batch.Count;
        var x0 = batch.Images;
        var overshoot = 1 + Options.Overshoot;
        var total = zeros_like(x0);
        var candidates = Candidates(batch);
        var active = Enumerable.Range(0, n).ToList();
        try
        {
            for (var t = 0; active.Count > 0; t++)
            {
                using var scope = NewDisposeScope();
                var all = active.Count == n;
                var idx = all ? null : tensor(active.Select(i => (long)i).ToArray(), device: x0.device);
                Tensor Rows(Tensor s) => all ? s : s.index_select(0, idx!);
                var clean = Rows(x0);
                var xg = batch.Clip(clean + Rows(total) * HeldScalars.Held(overshoot)).detach().requires_grad_(true);
                Tensor evidence;
                using (enable_grad()) evidence = batch.Model.Evidence(batch.Model.Forward(xg));
                var predictions = evidence.detach().argmax(1);
                var goals = Rows(batch.GoalLabels);
                var met = batch.Meets(predictions, goals).cpu().data<bool>().ToArray();
                for (var k = 0; k < active.Count; k++) steps[active[k]] = t;
                if (t == Options.MaxIterations || met.All(m => m)) break;

                // The class each sample leaves: the true label (untargeted) or its current prediction (targeted).
                var from = batch.Targeted ? predictions : goals;
                var cand = Rows(candidates);
                var fromGradient = ClassGradient(evidence, xg, from, retain: true);
                var fromValue = evidence.detach().gather(1, from.unsqueeze(1));
                var m = cand.size(1);
                Tensor? bestDistance = null, bestStep = null;
                for (var j = 0; j < m; j++)
                {
                    var c = cand.narrow(1, j, 1);
                    var w = ClassGradient(evidence, xg, c.squeeze(1), retain: j < m - 1) - fromGradient;
                    var f = (evidence.detach().gather(1, c) - fromValue).squeeze(1);
                    var wNorm = w.reshape(w.size(0), -1).norm(1);
                    // A candidate equal to the starting class (targeted, already there) is no boundary.
                    var same = c.squeeze(1).eq(from);
                    var distance = (f.abs() / (wNorm + HeldScalars.Held(1e-8))).masked_fill(same, HeldScalars.PositiveInfinity);
                    var factor = ((distance.masked_fill(same, HeldScalars.Zero) + HeldScalars.Held(Margin)) / (wNorm + HeldScalars.Held(1e-8))).reshape(AttackBatch.PerSampleShape(w));
                    var step = w * factor;
                    if (bestDistance is null)
                    {
                        bestDistance = distance;
                        bestStep = step;
                    }
                    else
                    {
                        var better = distance.lt(bestDistance);
                        bestStep = where(better.reshape(AttackBatch.PerSampleShape(step)), step, bestStep!);
                        bestDistance = where(better, distance, bestDistance);
                    }
                }

                var still = Enumerable.Range(0, active.Count).Where(k => !met[k]).ToArray();
                var keep = tensor(still.Select(k => (long)k).ToArray(), device: x0.device);
                var rows = tensor(still.Select(k => (long)active[k]).ToArray(), device: x0.device);
                var update = (Rows(total) + bestStep!).index_select(0, keep);
                total.index_put_(update, rows);
                active = still.Select(k => active[k]).ToList();
            }
            return batch.Clip(x0 + total * HeldScalars.Held(overshoot));
        }
        finally
        {
            total.Dispose();
            candidates.Dispose();
        }
    }

    /// <summary>Per-sample gradient of the evidence of class <paramref name="classes"/>[i] w.r.t. sample i.</summary>
    private static Tensor ClassGradient(Tensor evidence, Tensor x, Tensor classes, bool retain)
    {
        using var enable = enable_grad();
        var selected = evidence.gather(1, classes.unsqueeze(1)).sum();
        return autograd.grad(new[] { selected }, new[] { x }, retain_graph: retain)[0]!;
    }

    /// <summary>[N, m] candidate classes: the target (targeted), or the top-k classes of the clean evidence
    /// other than the true label (untargeted).</summary>
    private Tensor Candidates(AttackBatch batch)
    {
        if (batch.Targeted) return batch.GoalLabels.unsqueeze(1).clone();
        using var scope = NewDisposeScope();
        var evidence = Prediction.Evidence(batch.Model, batch.Images);
        var k = Math.Min(Options.Candidates, batch.Model.ClassCount) - 1;
        var goalColumn = batch.GoalLabels.unsqueeze(1);
        var masked = evidence.scatter(1, goalColumn, full(goalColumn.shape, HeldScalars.NegativeInfinity, evidence.dtype, evidence.device));
        return masked.topk(k, 1).indexes.MoveToOuterDisposeScope();
    }
}
