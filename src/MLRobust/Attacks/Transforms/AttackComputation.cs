using MLRobust.MLNet;
using MLRobust.Metrics;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks.Transforms;

/// <summary>Attacks a batch of rows and keeps, per row, the adversarial image, the bookkeeping and the metrics.
/// With a fraction below 1 (adversarial augmentation) only the rows a per-row seeded draw selects are attacked;
/// the others keep their clean image.</summary>
internal sealed class AttackComputation : BatchComputation
{
    private readonly Attack _attack;
    private readonly AdversarialTransformer.Bound _bound;
    private readonly Device _device;
    private readonly double _fraction;
    private readonly int _seed;
    private float[][] _images = Array.Empty<float[]>();
    private bool[] _success = Array.Empty<bool>();
    private int[] _steps = Array.Empty<int>();
    private uint[] _targets = Array.Empty<uint>();
    private uint[] _clean = Array.Empty<uint>();
    private uint[] _predictions = Array.Empty<uint>();
    private float[][] _metrics = Array.Empty<float[]>();

    internal AttackComputation(Attack attack, AdversarialTransformer.Bound bound, Device device, double fraction, int seed)
    {
        _attack = attack;
        _bound = bound;
        _device = device;
        _fraction = fraction;
        _seed = seed;
    }

    internal override int BatchSize => _bound.Options.BatchSize;

    internal override IReadOnlyList<DataViewSchema.Column> Dependencies => _bound.Dependencies;

    internal override void Compute(BufferedRows rows, int count, long[] positions)
    {
        var shape = _bound.ImageShape;
        var size = (int)(shape[0] * shape[1] * shape[2]);
        var classes = _attack.Model.ClassCount;
        var pixels = new float[count * size];
        var labels = new long[count];
        var targets = _bound.Target is { } tc ? new long[count] : null;
        for (var r = 0; r < count; r++)
        {
            var image = rows.Get<VBuffer<float>>(_bound.Image, r);
            image.CopyTo(pixels.AsSpan(r * size, size));
            labels[r] = ClassColumn.Read(rows, _bound.Label, r, positions[r], classes);
            if (targets != null) targets[r] = ClassColumn.Read(rows, _bound.Target!.Value, r, positions[r], classes);
        }

        _images = new float[count][];
        _success = new bool[count];
        _steps = new int[count];
        _targets = new uint[count];
        _clean = new uint[count];
        _predictions = new uint[count];
        _metrics = AdversarialColumnNames.Metrics.Select(_ => new float[count]).ToArray();
        var chosen = Enumerable.Range(0, count).Where(r => Selected(positions[r])).ToArray();
        for (var r = 0; r < count; r++) _images[r] = pixels.AsSpan(r * size, size).ToArray();
        if (chosen.Length == 0) return;

        using var scope = NewDisposeScope();
        var batchShape = new long[] { chosen.Length, shape[0], shape[1], shape[2] };
        var chosenPixels = new float[chosen.Length * size];
        for (var k = 0; k < chosen.Length; k++) pixels.AsSpan(chosen[k] * size, size).CopyTo(chosenPixels.AsSpan(k * size, size));
        var x = tensor(chosenPixels, batchShape, device: _device);
        var y = tensor(chosen.Select(r => labels[r]).ToArray(), device: _device);
        var t = targets is null ? null : tensor(chosen.Select(r => targets[r]).ToArray(), device: _device);
        using var result = _attack.Run(x, y, t, chosen.Select(r => positions[r]).ToArray());
        var adversarial = result.Adversarial.cpu().data<float>().ToArray();
        var metrics = PerturbationMetrics.Compute(x, result.Adversarial, _attack.Range);
        var values = new[] { metrics.Distortion, metrics.Mae, metrics.L0, metrics.L2, metrics.LInf, metrics.Ssim };
        for (var k = 0; k < chosen.Length; k++)
        {
            var r = chosen[k];
            _images[r] = adversarial.AsSpan(k * size, size).ToArray();
            _success[r] = result.Success[k];
            _steps[r] = result.Steps[k];
            _targets[r] = result.Targets[k] < 0 ? 0u : (uint)result.Targets[k] + 1;
            _clean[r] = (uint)result.CleanPredictions[k] + 1;
            _predictions[r] = (uint)result.Predictions[k] + 1;
            for (var m = 0; m < values.Length; m++) _metrics[m][r] = (float)values[m][k];
        }
    }

    /// <summary>Whether the row at <paramref name="position"/> is attacked: always at fraction 1, else a seeded draw.</summary>
    private bool Selected(long position) => _fraction >= 1 || (_fraction > 0 && new SampleRandom(_seed, position).NextDouble() < _fraction);

    internal override Delegate MakeGetter(int output, Func<int> row)
    {
        var name = _bound.OutputNames[output];
        var prefix = _bound.Options.ColumnPrefix;
        if (output == 0)
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var source = _images[row()];
                var editor = VBufferEditor.Create(ref value, source.Length);
                source.CopyTo(editor.Values);
                value = editor.Commit();
            });
        var metric = Array.IndexOf(AdversarialColumnNames.Metrics, name[prefix.Length..]);
        if (metric >= 0) return (ValueGetter<float>)((ref float value) => value = _metrics[metric][row()]);
        return name[prefix.Length..] switch
        {
            AdversarialColumnNames.Success => (ValueGetter<bool>)((ref bool value) => value = _success[row()]),
            AdversarialColumnNames.Steps => (ValueGetter<int>)((ref int value) => value = _steps[row()]),
            AdversarialColumnNames.Target => (ValueGetter<uint>)((ref uint value) => value = _targets[row()]),
            AdversarialColumnNames.CleanPrediction => (ValueGetter<uint>)((ref uint value) => value = _clean[row()]),
            AdversarialColumnNames.AdversarialPrediction => (ValueGetter<uint>)((ref uint value) => value = _predictions[row()]),
            _ => throw new InvalidOperationException($"Unknown output column '{name}'."),
        };
    }
}
