using MLRobust.Attacks;
using static TorchSharp.torch;

namespace MLRobust.Robustness;

/// <summary>
/// Zhang and Cai's pixel-change experiments (PAPERS.md §3) over a grid of settings (changed-pixel count, change range,
/// centred area): <see cref="Measure"/> gives, per setting, the share w of images that random changes misclassify and
/// the Pixel-index Pi = w / (p · r · a); <see cref="Restore(IAttackTarget, Tensor, Tensor, PixelSensitivityOptions?)"/>
/// gives the share of misclassified adversarial images the same changes turn back to their right class (the robustness
/// of the attack itself).
/// </summary>
/// <remarks>
/// As in the paper, w is measured only on images the model classifies correctly when clean (the others are left out;
/// <see cref="PixelSensitivityResult.CleanCorrect"/> says how many remain). The changes are
/// <see cref="MLRobust.Augmentation.PixelChangeAugmentation"/>'s, drawn on the CPU per image from a stream named by the
/// image's row and the repeat; the changed images are predicted in batches.
/// </remarks>
public static class PixelSensitivity
{
    /// <summary>Measures every setting of <paramref name="options"/> on the images [N, C, H, W] (float32, in the range)
    /// that the model classifies as their <paramref name="labels"/> [N].</summary>
    public static PixelSensitivityResult Measure(IAttackTarget model, Tensor images, Tensor labels, PixelSensitivityOptions? options = null)
    {
        var run = Sweep(model, images, labels, options ?? new PixelSensitivityOptions(), measureCorrect: true);
        var imagePixels = (long)run.Height * run.Width;
        var points = run.Settings.Select((s, k) =>
        {
            var misclassified = run.Hits[k].Sum();
            var trials = (long)run.Evaluated * run.Repeats;
            var p = s.Count / (double)imagePixels;
            var r = PixelIndex.RangeGreyLevels(s.Mode, s.Range) / 255.0;
            var a = s.AreaPixels / (double)imagePixels;
            return new PixelSensitivityPoint
            {
                Setting = s,
                Evaluated = run.Evaluated,
                Repeats = run.Repeats,
                Misclassified = misclassified,
                MisclassifiedByRepeat = run.Hits[k],
                Terms = new PixelIndexTerms(trials == 0 ? double.NaN : misclassified / (double)trials, p, r, a),
            };
        }).ToArray();
        return new PixelSensitivityResult
        {
            ImageHeight = run.Height,
            ImageWidth = run.Width,
            Count = run.Count,
            CleanCorrect = run.Evaluated,
            Points = points,
            Skipped = run.Skipped,
        };
    }

    /// <summary>Tries every setting of <paramref name="options"/> on the adversarial images [N, C, H, W] that the model
    /// misclassifies (prediction ≠ <paramref name="labels"/>, their true classes) and counts the changed images it
    /// classifies correctly again.</summary>
    public static PixelRestoreResult Restore(IAttackTarget model, Tensor adversarialImages, Tensor labels, PixelSensitivityOptions? options = null)
    {
        var run = Sweep(model, adversarialImages, labels, options ?? new PixelSensitivityOptions(), measureCorrect: false);
        var points = run.Settings.Select((s, k) => new PixelRestorePoint
        {
            Setting = s,
            Evaluated = run.Evaluated,
            Repeats = run.Repeats,
            Restored = run.Hits[k].Sum(),
            RestoredByRepeat = run.Hits[k],
        }).ToArray();
        return new PixelRestoreResult { Count = run.Count, Misclassified = run.Evaluated, Points = points, Skipped = run.Skipped };
    }

    /// <summary><see cref="Restore(IAttackTarget, Tensor, Tensor, PixelSensitivityOptions?)"/> on an attack's adversarial
    /// images and the true labels it was given. The range is the options', else the model's, else [0, 1]: set
    /// <see cref="PixelSensitivityOptions.Range"/> when the attack ran in a range its options named.</summary>
    public static PixelRestoreResult Restore(IAttackTarget model, AttackResult attack, PixelSensitivityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(attack);
        using var labels = tensor(attack.Labels);
        return Restore(model, attack.Adversarial, labels, options);
    }

    private sealed record SweepRun(int Count, int Height, int Width, int Evaluated, int Repeats,
        List<PixelChangeSetting> Settings, List<PixelChangeSetting> Skipped, long[][] Hits);

    /// <summary>The shared loop. Evaluates the rows whose clean prediction is right (<paramref name="measureCorrect"/>) or
    /// wrong, and counts per setting and repeat the changed images whose rightness flipped.</summary>
    private static SweepRun Sweep(IAttackTarget model, Tensor images, Tensor labels, PixelSensitivityOptions options, bool measureCorrect)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        options.Validate();
        var range = options.Range ?? model.Range ?? InputRange.Unit;
        var n = SweepInput.Check(model, images, labels, range);
        var labelArray = SweepInput.Classes(model, labels, n, nameof(labels));
        var (channels, height, width) = ((int)images.size(1), (int)images.size(2), (int)images.size(3));
        var (settings, skipped) = options.Settings(height, width);
        var augmentations = settings.Select(s => s.Augmentation(range)).ToArray();
        var repeats = options.Repeats;
        var hits = settings.Select(_ => new long[repeats]).ToArray();

        long[] clean;
        using (NewDisposeScope())
            clean = Prediction.Predict(model, images, options.BatchSize).cpu().data<long>().ToArray();
        var rows = Enumerable.Range(0, n).Where(i => (clean[i] == labelArray[i]) == measureCorrect).ToArray();

        var shape = new long[] { channels, height, width };
        var size = channels * height * width;
        for (var start = 0; start < rows.Length; start += options.BatchSize)
        {
            var batchRows = rows.AsSpan(start, Math.Min(options.BatchSize, rows.Length - start)).ToArray();
            var b = batchRows.Length;
            float[] data;
            using (NewDisposeScope())
            {
                var index = tensor(batchRows.Select(i => (long)i).ToArray(), device: images.device);
                data = images.index_select(0, index).cpu().contiguous().data<float>().ToArray();
            }
            var changed = new float[data.Length];
            for (var s = 0; s < settings.Count; s++)
            for (var k = 0; k < repeats; k++)
            {
                // Each image draws from its own stream (row, repeat): independent of the batch and the same for every setting.
                var augmentation = augmentations[s];
                var repeat = k;
                Parallel.For(0, b, i =>
                {
                    var random = new SampleRandom(options.Seed, StreamId(batchRows[i], repeat));
                    augmentation.Apply(new ReadOnlySpan<float>(data, i * size, size), shape, new Span<float>(changed, i * size, size), random);
                });
                using var scope = NewDisposeScope();
                var x = tensor(changed, new long[] { b, channels, height, width }, device: images.device);
                var predictions = Prediction.Predict(model, x, options.BatchSize).cpu().data<long>().ToArray();
                for (var i = 0; i < b; i++)
                    if ((predictions[i] == labelArray[batchRows[i]]) != measureCorrect) hits[s][k]++;
            }
        }
        return new SweepRun(n, height, width, rows.Length, repeats, settings, skipped, hits);
    }

    /// <summary>The random stream of an image's repeat: row in the low 32 bits, repeat above. Public through
    /// <see cref="MLRobust.Augmentation.ImageAugmentation.Apply(ReadOnlySpan{float}, int[], int, long)"/> with this row
    /// number, so a caller can redraw exactly the changes a sweep made.</summary>
    public static long StreamId(int row, int repeat) => ((long)repeat << 32) | (uint)row;
}
