using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>
/// Rounds adversarial images to the 256 grey levels of their range, as 8-bit files store them, and, for minimal-perturbation
/// attacks, makes sure rounding does not undo a success: a sample that met its goal before rounding but not after gets the
/// least extra step that restores it: first each perturbed value rounded away from the clean one instead of to nearest,
/// then one more grey level along the perturbation's sign at a time, up to a limit. Its step count grows by the grey levels added.
/// </summary>
internal static class RoundedDelivery
{
    internal static Tensor Round(AttackBatch batch, Tensor adversarial, int[] steps, bool ensureSuccess, int maxExtraLevels)
    {
        using var scope = NewDisposeScope();
        var range = batch.Range;
        var level = range.GreyLevel;
        var rounded = ToLevels(adversarial, range, v => v.round());
        if (!ensureSuccess) return rounded.MoveToOuterDisposeScope();

        var before = batch.Meets(batch.Predict(adversarial), batch.GoalLabels).cpu().data<bool>().ToArray();
        var after = batch.Meets(batch.Predict(rounded), batch.GoalLabels).cpu().data<bool>().ToArray();
        var lost = Enumerable.Range(0, before.Length).Where(i => before[i] && !after[i]).ToList();
        if (lost.Count == 0) return rounded.MoveToOuterDisposeScope();

        var clean = batch.Images;
        for (var extra = 0; extra <= maxExtraLevels && lost.Count > 0; extra++)
        {
            using var inner = NewDisposeScope();
            var rows = tensor(lost.Select(i => (long)i).ToArray(), device: adversarial.device);
            var x0 = clean.index_select(0, rows);
            var delta = adversarial.index_select(0, rows) - x0;
            var direction = delta.sign();
            // Away from the clean value: ceil of a positive change, floor of a negative one, then `extra` more levels.
            var pushed = x0 + delta + direction * HeldScalars.Held(extra * level);
            var outward = batch.Clip(ToLevels(pushed, range, v => where(direction.gt(HeldScalars.Zero), v.ceil(), where(direction.lt(HeldScalars.Zero), v.floor(), v.round()))));
            var met = batch.Meets(batch.Predict(outward), batch.GoalLabels.index_select(0, rows)).cpu().data<bool>().ToArray();
            var fixedRows = new List<long>();
            var fixedIndex = new List<long>();
            var still = new List<int>();
            for (var j = 0; j < lost.Count; j++)
            {
                if (met[j])
                {
                    fixedRows.Add(lost[j]);
                    fixedIndex.Add(j);
                    steps[lost[j]] += extra;
                }
                else still.Add(lost[j]);
            }
            if (fixedRows.Count > 0)
                rounded.index_put_(outward.index_select(0, tensor(fixedIndex.ToArray(), device: adversarial.device)), tensor(fixedRows.ToArray(), device: adversarial.device));
            lost = still;
        }
        return rounded.MoveToOuterDisposeScope();
    }

    /// <summary>The values of <paramref name="x"/> on the grid min + k·level (k = 0…255), with <paramref name="toInteger"/> choosing k.</summary>
    private static Tensor ToLevels(Tensor x, InputRange range, Func<Tensor, Tensor> toInteger)
    {
        using var scope = NewDisposeScope();
        var level = range.GreyLevel;
        // A tiny tolerance so that values already on the grid (up to float error) stay where they are under ceil and floor.
        var k = (x - HeldScalars.Held(range.Min)) / HeldScalars.Held(level);
        var snapped = where((k - k.round()).abs().lt(HeldScalars.Held(1e-3)), k.round(), k);
        return (toInteger(snapped).clamp(HeldScalars.Zero, HeldScalars.Held(255)) * HeldScalars.Held(level) + HeldScalars.Held(range.Min)).to_type(x.dtype).MoveToOuterDisposeScope();
    }
}
