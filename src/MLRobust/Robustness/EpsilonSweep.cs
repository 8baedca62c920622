using MLRobust.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Robustness;

/// <summary>
/// Accuracy against ε (PAPERS.md §4): runs one attack at every ε of a grid over a batched set of images and reports,
/// per ε, the accuracy on the attacked images and the attack's success rate, plus per-sample records. Works with any
/// attack whose options take an ε (FGSM, PGD, BIM, MI-FGSM) through an options template, or with any attack through a
/// factory that builds the options for a given ε.
/// </summary>
/// <remarks>
/// The clean images go through the model once per batch, for the clean predictions of the records and for ε = 0, which
/// reuses that pass instead of attacking (a zero budget allows no change), so its point is exactly the clean accuracy.
/// Every other ε is one attack run per batch (<see cref="Attack.Run"/>, which makes the clean pass its goals need). Each row
/// keeps its own random stream (the row number names it), so the batch size does not change the results.
/// </remarks>
public static class EpsilonSweep
{
    /// <summary>Sweeps <paramref name="template"/> (an <see cref="FgsmOptions"/> without minimal mode, <see cref="PgdOptions"/>,
    /// <see cref="BimOptions"/> or <see cref="MiFgsmOptions"/>) over the grid of <paramref name="options"/>: every ε gets a
    /// copy of the template whose Epsilon is that ε; the template itself is left as it is.</summary>
    /// <param name="model">The model under attack.</param>
    /// <param name="images">[N, C, H, W] float32 images in the range of <paramref name="options"/> (or the model's).</param>
    /// <param name="labels">[N] true classes.</param>
    /// <param name="template">The attack's options; their Epsilon is replaced per grid value.</param>
    /// <param name="options">The grid, batch size and overrides; null: the defaults.</param>
    /// <param name="targets">[N] targets, for a template whose target selection is <see cref="TargetSelection.Given"/>.</param>
    public static EpsilonCurve Run(IAttackTarget model, Tensor images, Tensor labels, AttackOptions template, EpsilonSweepOptions? options = null, Tensor? targets = null) =>
        Run(model, images, labels, WithEpsilon(template), options, targets);

    /// <summary>Sweeps the attack that <paramref name="attackAt"/> builds for each ε of the grid. <paramref name="attackAt"/>
    /// receives ε in the input range's units (as attack options take it: 8/255 on [0, 1], 8 on [0, 255]) and must return
    /// a new options object per call: the sweep writes its <see cref="EpsilonSweepOptions.Seed"/>,
    /// <see cref="EpsilonSweepOptions.Precision"/> and range into it.</summary>
    public static EpsilonCurve Run(IAttackTarget model, Tensor images, Tensor labels, Func<double, AttackOptions> attackAt, EpsilonSweepOptions? options = null, Tensor? targets = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(attackAt);
        options ??= new EpsilonSweepOptions();
        options.Validate();
        var range = options.Range ?? model.Range ?? InputRange.Unit;
        var grid = options.Grid();
        var n = SweepInput.Check(model, images, labels, range);
        var labelArray = SweepInput.Classes(model, labels, n, nameof(labels));
        var targetArray = targets is null ? null : SweepInput.Classes(model, targets, n, nameof(targets));

        // Build (and so validate) every attack before any work.
        var attacks = grid.Select(g => Attack.Create(model, Prepare(attackAt(g.Unit * range.Width), options, range))).ToArray();

        var predictions = grid.Select(_ => new long[n]).ToArray();
        var success = grid.Select(_ => new bool[n]).ToArray();
        var clean = new long[n];
        for (var start = 0; start < n; start += options.BatchSize)
        {
            var length = Math.Min(options.BatchSize, n - start);
            using var scope = NewDisposeScope();
            var x = images.narrow(0, start, length);
            var y = labels.narrow(0, start, length);
            var t = targets?.narrow(0, start, length);
            var ids = Enumerable.Range(start, length).Select(i => (long)i).ToArray();
            var batchLabels = labelArray.AsSpan(start, length).ToArray();
            var batchTargets = targetArray?.AsSpan(start, length).ToArray();

            // The one clean pass of this batch: clean predictions, and the whole answer at ε = 0.
            var evidence = Prediction.Evidence(model, x, options.BatchSize);
            var batchClean = evidence.argmax(1).cpu().data<long>().ToArray();
            batchClean.CopyTo(clean, start);
            for (var g = 0; g < grid.Length; g++)
            {
                if (grid[g].Unit == 0)
                {
                    var goal = AttackGoal.Resolve(attacks[g].Options.Target, model, batchLabels, batchTargets, evidence);
                    for (var i = 0; i < length; i++)
                    {
                        predictions[g][start + i] = batchClean[i];
                        success[g][start + i] = goal.Meets(batchClean[i], i);
                    }
                    continue;
                }
                using var result = attacks[g].Run(x, y, t, ids);
                result.Predictions.CopyTo(predictions[g], start);
                result.Success.CopyTo(success[g], start);
            }
        }

        var points = new EpsilonPoint[grid.Length];
        var samples = new List<EpsilonSample>(options.KeepSamples ? n * grid.Length : 0);
        for (var g = 0; g < grid.Length; g++)
        {
            var correct = 0;
            var met = 0;
            for (var i = 0; i < n; i++)
            {
                var right = predictions[g][i] == labelArray[i];
                if (right) correct++;
                if (success[g][i]) met++;
                if (options.KeepSamples)
                {
                    samples.Add(new EpsilonSample
                    {
                        Row = i,
                        EpsilonUnit = grid[g].Unit,
                        EpsilonGreyLevels = grid[g].GreyLevels,
                        Label = labelArray[i],
                        CleanPrediction = clean[i],
                        Prediction = predictions[g][i],
                        Correct = right,
                        Success = success[g][i],
                    });
                }
            }
            points[g] = new EpsilonPoint
            {
                Epsilon = grid[g].Unit * range.Width,
                EpsilonUnit = grid[g].Unit,
                EpsilonGreyLevels = grid[g].GreyLevels,
                Count = n,
                Correct = correct,
                Successes = met,
            };
        }
        var cleanCorrect = clean.Where((p, i) => p == labelArray[i]).Count();
        return new EpsilonCurve(attacks[0].Name, range, n, cleanCorrect, points, samples);
    }

    /// <summary>A factory giving, for each ε, a copy of <paramref name="template"/> with that Epsilon. Throws for options
    /// without an ε (DeepFool, C&amp;W, …: pass your own factory) and for minimal-mode FGSM (which searches its own ε).</summary>
    public static Func<double, AttackOptions> WithEpsilon(AttackOptions template)
    {
        ArgumentNullException.ThrowIfNull(template);
        SetEpsilon(template.ShallowCopy(), 0, nameof(template));
        return epsilon =>
        {
            var copy = template.ShallowCopy();
            SetEpsilon(copy, epsilon, nameof(template));
            return copy;
        };
    }

    private static void SetEpsilon(AttackOptions options, double epsilon, string name)
    {
        switch (options)
        {
            case FgsmOptions { Minimal: true }:
                throw new ArgumentException("Minimal-mode FGSM searches its own ε; sweep plain FGSM (Minimal = false).", name);
            case FgsmOptions o:
                o.Epsilon = epsilon;
                break;
            case PgdOptions o:
                o.Epsilon = epsilon;
                break;
            case BimOptions o:
                o.Epsilon = epsilon;
                break;
            case MiFgsmOptions o:
                o.Epsilon = epsilon;
                break;
            default:
                throw new ArgumentException($"{options.GetType().Name} has no ε to sweep; pass a factory Func<double, AttackOptions> instead.", name);
        }
    }

    /// <summary>Writes the sweep's overrides into options the factory returned.</summary>
    private static AttackOptions Prepare(AttackOptions attack, EpsilonSweepOptions options, InputRange range)
    {
        if (attack is null) throw new InvalidOperationException("The attack factory returned null options.");
        if (attack.Range is { } asked && asked != range)
            throw new ArgumentException($"The attack options ask for the input range {asked}, but the sweep works in {range}; set {nameof(EpsilonSweepOptions)}.{nameof(EpsilonSweepOptions.Range)}.", "attackAt");
        attack.Range = range;
        if (options.Seed is { } seed) attack.Seed = seed;
        if (options.Precision is { } precision) attack.Precision = precision;
        return attack;
    }
}

/// <summary>Checks shared by the sweeps: images [N, C, H, W] float32 inside the range, classes [N] of the model.</summary>
internal static class SweepInput
{
    internal static int Check(IAttackTarget model, Tensor images, Tensor labels, InputRange range)
    {
        if (images.dim() != 4)
            throw new ArgumentException($"images must be a batch [N, C, H, W]; got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (images.dtype != ScalarType.Float32)
            throw new ArgumentException($"images must be float32; got {images.dtype}.", nameof(images));
        var n = (int)images.size(0);
        if (n == 0) throw new ArgumentException("images is an empty batch.", nameof(images));
        if (labels.dim() != 1 || labels.size(0) != n)
            throw new ArgumentException($"labels must have shape [{n}] (one class per image); got [{string.Join(", ", labels.shape)}].", nameof(labels));
        using var scope = NewDisposeScope();
        var min = images.min().ToSingle();
        var max = images.max().ToSingle();
        var slack = 1e-4 * range.Width;
        if (float.IsNaN(min) || float.IsNaN(max)) throw new ArgumentException("images hold NaN values.", nameof(images));
        if (min < range.Min - slack || max > range.Max + slack)
            throw new ArgumentException($"images hold values in [{min}, {max}], outside the input range {range}; set the options' Range or rescale the images.", nameof(images));
        return n;
    }

    internal static long[] Classes(IAttackTarget model, Tensor classes, int n, string name)
    {
        if (classes.dim() != 1 || classes.size(0) != n)
            throw new ArgumentException($"{name} must have shape [{n}] (one class per image); got [{string.Join(", ", classes.shape)}].", name);
        using var scope = NewDisposeScope();
        var values = classes.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        foreach (var v in values)
            if (v < 0 || v >= model.ClassCount)
                throw new ArgumentOutOfRangeException(name, v, $"{name} holds class {v}, outside the model's {model.ClassCount} classes (0 to {model.ClassCount - 1}).");
        return values;
    }
}
