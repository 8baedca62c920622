using MLRobust.ImageData;
using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Trainers.Scoring;

/// <summary>
/// The lazy view a model-backed transformer returns: the input columns pass through and the scorer's columns are added.
/// A cursor reads up to BatchSize input rows ahead (keeping copies of the active input columns), scores them in one
/// network call, then serves them one by one; nothing is computed when no output column is asked for.
/// </summary>
internal sealed class BatchScoringDataView : IDataView
{
    private readonly IDataView _input;
    private readonly BatchScorer _scorer;
    private readonly DataViewSchema.Column _feature;
    private readonly int _inputCount;

    public BatchScoringDataView(IDataView input, BatchScorer scorer)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));
        _feature = SchemaMismatchException.FindColumn(input.Schema, scorer.InputColumnName);
        _inputCount = input.Schema.Count;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input.Schema);
        builder.AddColumns(scorer.OutputColumns);
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => _input.CanShuffle;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        var outputs = active.Skip(_inputCount).ToArray();
        var inputs = new List<DataViewSchema.Column>();
        for (var i = 0; i < _inputCount; i++)
            if (active[i] || (i == _feature.Index && outputs.Any(o => o))) inputs.Add(_input.Schema[i]);
        var passThrough = Enumerable.Range(0, _inputCount).Where(i => active[i]).ToArray();
        return new Cursor(this, _input.GetRowCursor(inputs, rand), passThrough, outputs);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchScoringDataView _parent;
        private readonly DataViewRowCursor _input;
        private readonly bool _scoring;
        private readonly InputSlot?[] _slots;
        private readonly Delegate?[] _getters;
        private readonly ValueGetter<VBuffer<float>>? _features;
        private readonly ValueGetter<DataViewRowId> _inputIds;
        private readonly List<DataViewRowId> _ids = new();
        private readonly float[] _inputs;
        private readonly ScoredBatch _batch;
        private VBuffer<float> _buffer;
        private int _count;
        private int _row = -1;
        private long _position = -1;
        private bool _done;

        public Cursor(BatchScoringDataView parent, DataViewRowCursor input, int[] passThrough, bool[] activeOutputs)
        {
            _parent = parent;
            _input = input;
            _scoring = activeOutputs.Any(a => a);
            var capacity = _scoring ? parent._scorer.BatchSize : 1;
            _inputIds = input.GetIdGetter();
            _slots = new InputSlot?[parent._inputCount];
            _getters = new Delegate?[parent.Schema.Count];
            foreach (var i in passThrough)
            {
                _slots[i] = InputSlot.Create(input, input.Schema[i], capacity);
                _getters[i] = _slots[i]!.MakeGetter(CurrentRow);
            }
            _inputs = new float[_scoring ? capacity * parent._scorer.InputLength : 0];
            if (_scoring) _features = PixelColumn.Getter(input, input.Schema[parent._feature.Index]);
            _batch = new ScoredBatch(parent._scorer.OutputColumns, activeOutputs, capacity);
            for (var o = 0; o < activeOutputs.Length; o++)
                if (activeOutputs[o]) _getters[parent._inputCount + o] = OutputGetter(o);
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        private int CurrentRow() => _row >= 0 && _row < _count ? _row : throw new InvalidOperationException("The cursor is not on a row.");

        public override bool MoveNext()
        {
            if (_done) return false;
            if (_row + 1 < _count)
            {
                _row++;
                _position++;
                return true;
            }
            Fill();
            if (_count == 0)
            {
                _done = true;
                _row = -1;
                _position = -1;
                return false;
            }
            _row = 0;
            _position++;
            return true;
        }

        private void Fill()
        {
            _count = 0;
            _ids.Clear();
            foreach (var s in _slots) s?.Clear();
            var capacity = _scoring ? _parent._scorer.BatchSize : 1;
            var length = _parent._scorer.InputLength;
            while (_count < capacity && _input.MoveNext())
            {
                foreach (var s in _slots) s?.Append();
                DataViewRowId id = default;
                _inputIds(ref id);
                _ids.Add(id);
                if (_scoring)
                {
                    _features!(ref _buffer);
                    if (_buffer.Length != length)
                        throw new InvalidOperationException($"Column '{_parent._feature.Name}', row {_input.Position}: {_buffer.Length} values, expected {length}.");
                    _buffer.CopyTo(_inputs.AsSpan(_count * length, length));
                }
                _count++;
            }
            if (_scoring && _count > 0) _parent._scorer.Score(_inputs, _count, _batch);
        }

        private Delegate OutputGetter(int o)
        {
            var width = _batch.Widths[o];
            if (_batch.Keys[o] is { } keys) return (ValueGetter<uint>)((ref uint value) => value = keys[CurrentRow()]);
            var values = _batch.Vectors[o]!;
            return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var row = CurrentRow();
                var editor = VBufferEditor.Create(ref value, width);
                values.AsSpan(row * width, width).CopyTo(editor.Values);
                value = editor.Commit();
            });
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = _ids[CurrentRow()];

        public override bool IsColumnActive(DataViewSchema.Column column) => _getters[column.Index] is not null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            CursorChecks.Getter<TValue>(this, column, (uint)column.Index < (uint)_getters.Length ? _getters[column.Index] : null);

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
