using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MLRobust.Attacks.Transforms;

/// <summary>Sweeps a batch of image pairs and keeps each row's thresholds, pop-up classes and predictions.</summary>
internal sealed class InterpolationComputation : BatchComputation
{
    private readonly LinearInterpolation _sweep;
    private readonly InterpolationTransformer.Bound _bound;
    private readonly Device _device;
    private InterpolationResult? _result;

    internal InterpolationComputation(LinearInterpolation sweep, InterpolationTransformer.Bound bound, Device device)
    {
        _sweep = sweep;
        _bound = bound;
        _device = device;
    }

    internal override int BatchSize => _bound.BatchSize;

    internal override IReadOnlyList<DataViewSchema.Column> Dependencies => _bound.Dependencies;

    internal override void Compute(BufferedRows rows, int count, long[] positions)
    {
        var shape = _bound.ImageShape;
        var size = (int)(shape[0] * shape[1] * shape[2]);
        var a = new float[count * size];
        var b = new float[count * size];
        var la = new long[count];
        var lb = new long[count];
        var classes = _sweep.Model.ClassCount;
        for (var r = 0; r < count; r++)
        {
            rows.Get<VBuffer<float>>(_bound.ImageA, r).CopyTo(a.AsSpan(r * size, size));
            rows.Get<VBuffer<float>>(_bound.ImageB, r).CopyTo(b.AsSpan(r * size, size));
            la[r] = ClassColumn.Read(rows, _bound.LabelA, r, positions[r], classes);
            lb[r] = ClassColumn.Read(rows, _bound.LabelB, r, positions[r], classes);
        }
        using var scope = NewDisposeScope();
        var batchShape = new long[] { count, shape[0], shape[1], shape[2] };
        _result = _sweep.Run(tensor(a, batchShape, device: _device), tensor(la, device: _device), tensor(b, batchShape, device: _device), tensor(lb, device: _device));
    }

    private InterpolationResult Result => _result ?? throw new InvalidOperationException("The cursor is not on a row.");

    internal override Delegate MakeGetter(int output, Func<int> row)
    {
        var name = _bound.Outputs[output].Name[_bound.Prefix.Length..];
        return name switch
        {
            InterpolationColumnNames.SwitchThreshold => (ValueGetter<float>)((ref float v) => v = (float)Result.SwitchThreshold[row()]),
            InterpolationColumnNames.ReverseThreshold => (ValueGetter<float>)((ref float v) => v = (float)Result.ReverseThreshold[row()]),
            InterpolationColumnNames.ThresholdSum => (ValueGetter<float>)((ref float v) => v = (float)Result.ThresholdSum[row()]),
            InterpolationColumnNames.PopUp => (ValueGetter<bool>)((ref bool v) => v = Result.HasPopUp(row())),
            InterpolationColumnNames.PopUpClasses => (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> v) => v = Keys(Result.PopUpClasses[row()], ref v)),
            InterpolationColumnNames.SweepPredictions => (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> v) => v = Keys(Result.ForwardPredictions[row()], ref v)),
            _ => throw new InvalidOperationException($"Unknown output column '{name}'."),
        };
    }

    private static VBuffer<uint> Keys(long[] classes, ref VBuffer<uint> destination)
    {
        var editor = VBufferEditor.Create(ref destination, classes.Length);
        for (var i = 0; i < classes.Length; i++) editor.Values[i] = (uint)classes[i] + 1;
        return editor.Commit();
    }
}
