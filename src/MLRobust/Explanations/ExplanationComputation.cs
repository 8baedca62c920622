using MLRobust.Attacks.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MLRobust.Explanations;

/// <summary>Explains a batch of rows and keeps each row's heat map, class and (LIME) superpixels.</summary>
internal sealed class ExplanationComputation : BatchComputation
{
    private readonly Explainer _explainer;
    private readonly ExplanationTransformer.Bound _bound;
    private readonly Device _device;
    private Explanation? _explanation;
    private float[][] _top = Array.Empty<float[]>();

    internal ExplanationComputation(Explainer explainer, ExplanationTransformer.Bound bound, Device device)
    {
        _explainer = explainer;
        _bound = bound;
        _device = device;
    }

    internal override int BatchSize => _bound.Options.RowsPerBatch;

    internal override IReadOnlyList<DataViewSchema.Column> Dependencies => _bound.Dependencies;

    internal override void Compute(BufferedRows rows, int count, long[] positions)
    {
        var shape = _bound.ImageShape;
        var size = (int)(shape[0] * shape[1] * shape[2]);
        var pixels = new float[count * size];
        var classes = _bound.Label is { } ? new long[count] : null;
        for (var r = 0; r < count; r++)
        {
            rows.Get<VBuffer<float>>(_bound.Image, r).CopyTo(pixels.AsSpan(r * size, size));
            if (classes is not null) classes[r] = ClassColumn.Read(rows, _bound.Label!.Value, r, positions[r], _explainer.Model.ClassCount);
        }
        using var scope = NewDisposeScope();
        var x = tensor(pixels, new long[] { count, shape[0], shape[1], shape[2] }, device: _device);
        var y = classes is null ? null : tensor(classes, device: _device);
        _explanation = _explainer.Explain(x, y, positions.AsSpan(0, count).ToArray());
        _top = _explanation is LimeExplanation lime ? Enumerable.Range(0, count).Select(lime.TopMask).ToArray() : Array.Empty<float[]>();
    }

    private Explanation Current => _explanation ?? throw new InvalidOperationException("The cursor is not on a row.");

    internal override Delegate MakeGetter(int output, Func<int> row)
    {
        if (output == 0) return Vector(() => Current.HeatMaps[row()]);
        var name = _bound.Outputs[output].Name[_bound.Options.ColumnPrefix.Length..];
        return name switch
        {
            ExplanationColumnNames.ExplainedClass => (ValueGetter<uint>)((ref uint value) => value = (uint)Current.Classes[row()] + 1),
            ExplanationColumnNames.TopSuperpixels => Vector(() => _top[row()]),
            ExplanationColumnNames.Superpixels => (ValueGetter<VBuffer<int>>)((ref VBuffer<int> value) =>
            {
                var labels = ((LimeExplanation)Current).Segmentations[row()].LabelSpan;
                var editor = VBufferEditor.Create(ref value, labels.Length);
                labels.CopyTo(editor.Values);
                value = editor.Commit();
            }),
            _ => throw new InvalidOperationException($"Unknown output column '{name}'."),
        };
    }

    private static ValueGetter<VBuffer<float>> Vector(Func<float[]> source) => (ref VBuffer<float> value) =>
    {
        var values = source();
        var editor = VBufferEditor.Create(ref value, values.Length);
        values.CopyTo(editor.Values);
        value = editor.Commit();
    };
}
