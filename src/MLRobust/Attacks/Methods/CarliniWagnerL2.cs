using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Options of <see cref="CarliniWagnerL2"/>.</summary>
public sealed class CarliniWagnerL2Options : AttackOptions
{
    /// <summary>Binary-search steps over c; default 9.</summary>
    public int BinarySearchSteps = 9;

    /// <summary>Adam iterations per binary-search step; default 10,000 (with early abort).</summary>
    public int MaxIterations = 10_000;

    /// <summary>Adam learning rate; default 0.01.</summary>
    public double LearningRate = 0.01;

    /// <summary>The first c of every sample; default 1e-3.</summary>
    public double InitialConstant = 1e-3;

    /// <summary>Confidence κ: the margin the goal class must win by; default 0.</summary>
    public double Confidence;

    /// <summary>Stop a sample's optimisation when its loss has not fallen by 0.01% over a tenth of the iterations.</summary>
    public bool AbortEarly = true;

    internal override void Validate()
    {
        base.Validate();
        AtLeast(BinarySearchSteps, 1, nameof(BinarySearchSteps));
        AtLeast(MaxIterations, 1, nameof(MaxIterations));
        Positive(LearningRate, nameof(LearningRate));
        Positive(InitialConstant, nameof(InitialConstant));
        NonNegative(Confidence, nameof(Confidence));
    }
}

/// <summary>
/// Carlini and Wagner's L2 attack (PAPERS.md §5) with a real per-sample binary search over c. In tanh space
/// <c>x' = lo + W·(tanh w + 1)/2</c>, Adam minimises <c>‖x' − x‖² + c·f(x')</c> (distances in units of the
/// range width W) with <c>f = max(max_{i≠t} Zᵢ − Z_t, −κ)</c> targeted and <c>max(Z_y − max_{i≠y} Zᵢ, −κ)</c>
/// untargeted, Z the evidence. After each search step a sample that succeeded lowers c (bisecting), one that
/// failed raises it (×10 until the first success, then bisecting). Returns, per sample, the successful image of
/// least L2 found; a sample that never succeeds keeps its clean image. Steps count Adam iterations.
/// </summary>
public sealed class CarliniWagnerL2 : Attack
{
    private const double Beta1 = 0.9, Beta2 = 0.999, AdamEps = 1e-8;
    private const double Upper = 1e10;

    public CarliniWagnerL2(IAttackTarget model, CarliniWagnerL2Options? options = null) : base(model, options ?? new CarliniWagnerL2Options()) { }

    public override string Name => "cw-l2";

    private protected override bool MinimalPerturbation => true;

    private new CarliniWagnerL2Options Options => (CarliniWagnerL2Options)base.Options;

    private protected override Tensor RunCore(AttackBatch batch, int[] steps)
    {
        var n = batch.Count;
        var range = batch.Range;
        var width = range.Width;
        var device = batch.Images.device;
        var lower = new double[n];
        var upper = Enumerable.Repeat(Upper, n).ToArray();
        var constant = Enumerable.Repeat(Options.InitialConstant, n).ToArray();
        var bestDistance = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var best = batch.Images.clone();
        using var unit = (batch.Images - HeldScalars.Held(range.Min)) / HeldScalars.Held(width);
        using var w0 = Atanh((unit * HeldScalars.Held(2) - HeldScalars.Held(1)) * HeldScalars.Held(1 - 1e-6));
        var goalMask = batch.GoalLabels.one_hot(batch.Model.ClassCount).to_type(ScalarType.Bool);
        var kappa = Options.Confidence;
        var perSample = AttackBatch.PerSampleShape(batch.Images);
        try
        {
            for (var search = 0; search < Options.BinarySearchSteps; search++)
            {
                var succeeded = new bool[n];
                using var outer = NewDisposeScope();
                var w = w0.clone();
                var m = zeros_like(w);
                var v = zeros_like(w);
                var c = tensor(constant, device: device).to_type(ScalarType.Float32);
                var running = ones(new long[] { n }, ScalarType.Bool, device);
                var previous = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
                var aborted = new bool[n];
                var checkEvery = Math.Max(1, Options.MaxIterations / 10);
                for (var it = 1; it <= Options.MaxIterations; it++)
                {
                    using var inner = NewDisposeScope();
                    var wg = w.detach().requires_grad_(true);
                    Tensor loss, gradient, adversarial, distance, f, predictions;
                    using (enable_grad())
                    {
                        adversarial = (wg.tanh() + HeldScalars.Held(1)) * HeldScalars.Held(0.5 * width) + HeldScalars.Held(range.Min);
                        distance = ((adversarial - batch.Images) / HeldScalars.Held(width)).square().reshape(n, -1).sum(1);
                        var evidence = batch.Model.Evidence(batch.Model.Forward(adversarial));
                        var goal = evidence.masked_select(goalMask);
                        var other = evidence.masked_fill(goalMask, HeldScalars.NegativeInfinity).amax(new long[] { 1 });
                        f = (batch.Targeted ? other - goal : goal - other).clamp_min(HeldScalars.Held(-kappa));
                        loss = distance + c * f;
                        gradient = autograd.grad(new[] { loss.sum() }, new[] { wg })[0]!;
                        predictions = evidence.detach().argmax(1);
                    }
                    // Adam, elementwise, only for samples still running.
                    var mask = running.reshape(perSample).to_type(ScalarType.Float32);
                    m.mul_(HeldScalars.Held(1) - HeldScalars.Held(1 - Beta1) * mask).add_(gradient * mask * HeldScalars.Held(1 - Beta1));
                    v.mul_(HeldScalars.Held(1) - HeldScalars.Held(1 - Beta2) * mask).add_(gradient.square() * mask * HeldScalars.Held(1 - Beta2));
                    var mHat = m / HeldScalars.Held(1 - Math.Pow(Beta1, it));
                    var vHat = v / HeldScalars.Held(1 - Math.Pow(Beta2, it));
                    w.sub_(mHat / (vHat.sqrt() + HeldScalars.Held(AdamEps)) * mask * HeldScalars.Held(Options.LearningRate));

                    // Bookkeeping of the iterate evaluated at this step (before the update).
                    var met = batch.Meets(predictions, batch.GoalLabels);
                    if (kappa > 0) met = met & f.detach().le(HeldScalars.Held(-kappa + 1e-6));
                    var metArray = met.cpu().data<bool>().ToArray();
                    var distances = distance.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
                    var runningArray = running.cpu().data<bool>().ToArray();
                    var improved = new List<long>();
                    for (var i = 0; i < n; i++)
                    {
                        if (!runningArray[i]) continue;
                        steps[i]++;
                        if (!metArray[i]) continue;
                        succeeded[i] = true;
                        if (distances[i] < bestDistance[i])
                        {
                            bestDistance[i] = distances[i];
                            improved.Add(i);
                        }
                    }
                    if (improved.Count > 0)
                    {
                        var rows = tensor(improved.ToArray(), device: device);
                        best.index_put_(adversarial.detach().index_select(0, rows), rows);
                    }
                    if (Options.AbortEarly && it % checkEvery == 0)
                    {
                        var losses = loss.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
                        for (var i = 0; i < n; i++)
                        {
                            if (aborted[i]) continue;
                            if (losses[i] > previous[i] * 0.9999) aborted[i] = true;
                            previous[i] = losses[i];
                        }
                        running.copy_(tensor(aborted.Select(a => !a).ToArray(), device: device));
                        if (aborted.All(a => a)) break;
                    }
                }

                for (var i = 0; i < n; i++)
                {
                    if (succeeded[i])
                    {
                        upper[i] = Math.Min(upper[i], constant[i]);
                        if (upper[i] < Upper) constant[i] = (lower[i] + upper[i]) / 2;
                    }
                    else
                    {
                        lower[i] = Math.Max(lower[i], constant[i]);
                        constant[i] = upper[i] < Upper ? (lower[i] + upper[i]) / 2 : constant[i] * 10;
                    }
                }
            }
            return best;
        }
        catch
        {
            best.Dispose();
            throw;
        }
        finally
        {
            goalMask.Dispose();
        }
    }

    private static Tensor Atanh(Tensor x)
    {
        using var scope = NewDisposeScope();
        return (((HeldScalars.Held(1) + x) / (HeldScalars.Held(1) - x)).log() * HeldScalars.Held(0.5)).MoveToOuterDisposeScope();
    }
}
