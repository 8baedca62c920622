using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>
/// The loop shared by the iterative gradient attacks (until-flip FGSM, BIM, MI-FGSM, PGD). Without early
/// stopping every sample takes exactly <c>steps</c> updates on the full batch. With it, each sample stops at
/// the first iterate whose prediction meets its goal (checked before every update and after the last), and
/// later steps run only on the samples still going: finished samples cost nothing.
/// </summary>
internal static class GradientIteration
{
    /// <summary>One update of the active samples: their iterate, goal direction, clean images and indices
    /// into the full batch (null when every sample is active) → the next iterate.</summary>
    internal delegate Tensor StepRule(Tensor x, Tensor direction, Tensor clean, Tensor? indices);

    internal static Tensor Run(AttackBatch batch, Tensor start, int maxSteps, bool stopAtSuccess, int[] steps, StepRule step)
    {
        return stopAtSuccess ? RunStopping(batch, start, maxSteps, steps, step) : RunFixed(batch, start, maxSteps, steps, step);
    }

    private static Tensor RunFixed(AttackBatch batch, Tensor start, int maxSteps, int[] steps, StepRule step)
    {
        var x = start.detach().clone();
        for (var t = 0; t < maxSteps; t++)
        {
            using var scope = NewDisposeScope();
            var (direction, _) = batch.GoalDirection(x, batch.GoalLabels);
            var next = step(x, direction, batch.Images, null).detach();
            x.Dispose();
            x = next.MoveToOuterDisposeScope();
        }
        Array.Fill(steps, maxSteps);
        return x;
    }

    private static Tensor RunStopping(AttackBatch batch, Tensor start, int maxSteps, int[] steps, StepRule step)
    {
        var x = start.detach().clone();
        var active = Enumerable.Range(0, batch.Count).ToList();
        for (var t = 0; active.Count > 0; t++)
        {
            using var scope = NewDisposeScope();
            var all = active.Count == batch.Count;
            var indices = all ? null : tensor(active.Select(i => (long)i).ToArray(), device: x.device);
            var xa = all ? x : x.index_select(0, indices!);
            var goals = all ? batch.GoalLabels : batch.GoalLabels.index_select(0, indices!);
            Tensor direction, predictions;
            if (t < maxSteps) (direction, predictions) = batch.GoalDirection(xa, goals);
            else (direction, predictions) = (null!, batch.Predict(xa));
            var met = batch.Meets(predictions, goals).cpu().data<bool>().ToArray();
            var still = new List<int>(active.Count);
            for (var k = 0; k < active.Count; k++)
            {
                steps[active[k]] = t;
                if (!met[k]) still.Add(k);
            }
            if (t == maxSteps || still.Count == 0) break;

            var next = step(xa, direction, all ? batch.Images : batch.Images.index_select(0, indices!), indices).detach();
            if (still.Count == active.Count)
            {
                if (all)
                {
                    x.Dispose();
                    x = next.MoveToOuterDisposeScope();
                }
                else x.index_put_(next, indices!);
            }
            else
            {
                var keep = tensor(still.Select(k => (long)k).ToArray(), device: x.device);
                var rows = tensor(still.Select(k => (long)active[k]).ToArray(), device: x.device);
                x.index_put_(next.index_select(0, keep), rows);
            }
            active = still.Select(k => active[k]).ToList();
        }
        return x;
    }
}
