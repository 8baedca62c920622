using MLRobust.Attacks;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLRobust.Robustness;

/// <summary>Runs the robustness analyses of <see cref="RobustnessEvaluationOptions"/> on one model and one set of labelled images.</summary>
public static class RobustnessEvaluation
{
    /// <summary>Evaluates <paramref name="model"/> on <paramref name="data"/>; <paramref name="classNames"/> name the model's classes
    /// (null: the data's key names, else the model's, else "class c").</summary>
    public static RobustnessMetrics Evaluate(MLContext ml, IAttackTarget model, LabelledImages data, RobustnessEvaluationOptions? options = null,
        string modelName = "model", IReadOnlyList<string>? classNames = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RobustnessEvaluationOptions();
        options.Validate();
        var names = (classNames ?? data.ClassNames ?? model.ClassNames ?? Enumerable.Range(0, model.ClassCount).Select(c => $"class {c}").ToArray()).ToArray();
        if (names.Length != model.ClassCount)
            throw new ArgumentException($"The data's label has {names.Length} classes ({string.Join(", ", names)}); the model predicts {model.ClassCount}.", nameof(data));
        var range = options.Range ?? model.Range ?? InputRange.Unit;

        using var scope = NewDisposeScope();
        var images = data.Images;
        var labels = tensor(data.Labels);
        var predictions = Predict(model, images, options.Epsilon.BatchSize);
        var clean = predictions.Zip(data.Labels).Count(p => p.First == p.Second) / (double)data.Count;

        RobustnessIndexResult? index = null;
        // The options are copied before the range is filled in: the caller's stay as given.
        if (options.Index is { } given)
        {
            cancellation.ThrowIfCancellationRequested();
            var indexOptions = (RobustnessIndexOptions)given.Copy();
            indexOptions.Range ??= range;
            index = RobustnessIndex.Compute(model, images, labels, indexOptions);
        }

        var curves = new List<EpsilonCurve>();
        foreach (var attack in options.EpsilonAttacks)
        {
            cancellation.ThrowIfCancellationRequested();
            var sweep = options.Epsilon.Copy();
            sweep.Range ??= range;
            curves.Add(EpsilonSweep.Run(model, images, labels, attack, sweep));
        }

        PixelSensitivityResult? pixels = null;
        if (options.PixelChanges is { } givenPixels)
        {
            cancellation.ThrowIfCancellationRequested();
            var pixelOptions = givenPixels.Copy();
            pixelOptions.Range ??= range;
            pixels = PixelSensitivity.Measure(model, images, labels, pixelOptions);
        }

        PixelRestoreResult? restore = null;
        if (options.RestoreFgsmEpsilon is { } epsilon)
        {
            cancellation.ThrowIfCancellationRequested();
            var restoreOptions = options.RestoreChanges?.Copy() ?? new PixelSensitivityOptions
            {
                Counts = new[] { 4, 8, 16, 32, 64 }, Ranges = new[] { PixelSensitivityOptions.FullRange }, AreaSides = new[] { PixelSensitivityOptions.WholeImage },
            };
            restoreOptions.Range ??= range;
            var fgsm = new Fgsm(model, new FgsmOptions { Epsilon = epsilon * range.Width, Range = range });
            using var attacked = fgsm.Run(images, labels);
            restore = PixelSensitivity.Restore(model, attacked, restoreOptions);
        }

        var summary = Summarise(modelName, data.Count, names, clean, index, curves, pixels, restore, options.RestoreFgsmEpsilon);
        return new RobustnessMetrics(ml, summary, data.Labels, predictions, data.Rows, index, curves, pixels, restore);
    }

    private static long[] Predict(IAttackTarget model, Tensor images, int batchSize)
    {
        var predictions = new List<long>();
        using var noGrad = no_grad();
        for (long start = 0; start < images.size(0); start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = images.narrow(0, start, Math.Min(batchSize, images.size(0) - start));
            predictions.AddRange(model.Evidence(model.Forward(batch)).argmax(1).cpu().data<long>().ToArray());
        }
        return predictions.ToArray();
    }

    private static RobustnessSummary Summarise(string model, int rows, string[] names, double clean, RobustnessIndexResult? index,
        List<EpsilonCurve> curves, PixelSensitivityResult? pixels, PixelRestoreResult? restore, double? restoreEpsilon)
    {
        RobustnessIndexSummary? indexSummary = null;
        if (index is not null)
        {
            var fgsm = index.TargetedFgsm;
            var interpolation = index.Interpolation;
            indexSummary = new RobustnessIndexSummary(index.Index, index.Selection.Classes.Select(c => names[c]).ToArray(), index.ClassIndex,
                fgsm.Cases.Count, fgsm.OverallSuccessRate, fgsm.MeanMaeOverall, fgsm.MeanStepsOverall, ClassMatrix.ToJagged(fgsm.MeanMae), ClassMatrix.ToJagged(fgsm.MeanSteps),
                interpolation.CaseCount, interpolation.MeanSwitchThreshold, interpolation.MeanThresholdSum, interpolation.OverallPopUpRate,
                ClassMatrix.ToJagged(interpolation.MeanThreshold), ClassMatrix.ToJagged(interpolation.PopUpRate));
        }
        var curveSummaries = curves.Select(c => new EpsilonCurveSummary(c.AttackName, c.Points.Select(p => p.EpsilonUnit).ToArray(),
            c.Points.Select(p => p.EpsilonGreyLevels).ToArray(), c.Points.Select(p => p.Accuracy).ToArray(), c.Count)).ToList();
        var pixelSummary = pixels is null ? null : new PixelSensitivitySummary(pixels.ImageHeight, pixels.ImageWidth, pixels.CleanCorrect,
            pixels.Points.Select(p => new PixelSettingSummary(p.Setting.Count, p.Setting.Range, p.Setting.AreaSide, p.MisclassificationRate, p.PixelIndex, p.Trials)).ToList());
        var restoreSummary = restore is null ? null : new PixelRestoreSummary(restoreEpsilon ?? double.NaN, restore.Misclassified,
            restore.Points.Select(p => new PixelRestoreSettingSummary(p.Setting.Count, p.Setting.Range, p.Setting.AreaSide, p.RestoreRate)).ToList());
        return new RobustnessSummary(model, rows, names, clean, indexSummary, curveSummaries, pixelSummary, restoreSummary);
    }
}
