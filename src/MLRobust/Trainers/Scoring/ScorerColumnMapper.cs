using MLRobust.ImageData;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.MLNet;
using MLRobust.Rendering.DataViews;

namespace MLRobust.Trainers.Scoring;

/// <summary>A <see cref="BatchScorer"/> used one row at a time, for <see cref="IRowToRowMapper"/> (PredictionEngine):
/// the row is scored once, when the first output of a new row position is read.</summary>
internal sealed class ScorerColumnMapper : IColumnMapper
{
    private readonly BatchScorer _scorer;
    private readonly DataViewSchema.Column _feature;

    public ScorerColumnMapper(BatchScorer scorer, DataViewSchema inputSchema)
    {
        _scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));
        _feature = SchemaMismatchException.FindColumn(inputSchema, scorer.InputColumnName);
    }

    public DataViewSchema.DetachedColumn[] OutputColumns => _scorer.OutputColumns;

    public IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema inputSchema, bool[] activeOutputs) =>
        activeOutputs.Any(a => a) ? [_feature] : [];

    public Delegate?[] MakeGetters(DataViewRow input, bool[] activeOutputs, int? cursorSeed = null)
    {
        var getters = new Delegate?[activeOutputs.Length];
        if (!activeOutputs.Any(a => a)) return getters;
        var features = PixelColumn.Getter(input, _feature);
        var length = _scorer.InputLength;
        var inputs = new float[length];
        var batch = new ScoredBatch(_scorer.OutputColumns, activeOutputs, 1);
        var buffer = default(VBuffer<float>);
        long scoredAt = -1;
        var gate = new object();
        void Score()
        {
            // One row at a time; the same row object may be read from several threads only through separate rows, but guard anyway.
            lock (gate)
            {
                var position = input.Position;
                if (position == scoredAt && position >= 0) return;
                features(ref buffer);
                if (buffer.Length != length)
                    throw new InvalidOperationException($"Column '{_feature.Name}': {buffer.Length} values, expected {length}.");
                buffer.CopyTo(inputs);
                _scorer.Score(inputs, 1, batch);
                scoredAt = position;
            }
        }
        for (var o = 0; o < activeOutputs.Length; o++)
        {
            if (!activeOutputs[o]) continue;
            var column = o;
            if (batch.Keys[column] is { } keys)
                getters[column] = (ValueGetter<uint>)((ref uint value) =>
                {
                    Score();
                    value = keys[0];
                });
            else
            {
                var values = batch.Vectors[column]!;
                getters[column] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
                {
                    Score();
                    var editor = VBufferEditor.Create(ref value, values.Length);
                    values.CopyTo(editor.Values);
                    value = editor.Commit();
                });
            }
        }
        return getters;
    }
}
