using Microsoft.ML.Data;
using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;

namespace MLRobust.Attacks.Transforms;

/// <summary>
/// The lazy view of a batched transform: input columns pass through; the added columns are computed a batch of
/// rows at a time, only when a cursor asks for one of them. Cursors buffer the batch's input values, so
/// upstream transforms run once per row.
/// </summary>
internal sealed class BatchedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly DataViewSchema.DetachedColumn[] _outputs;
    private readonly Func<BatchComputation> _computation;
    private readonly IReadOnlyList<DataViewSchema.Column> _dependencies;

    internal BatchedDataView(IDataView input, DataViewSchema.DetachedColumn[] outputs, IReadOnlyList<DataViewSchema.Column> dependencies, Func<BatchComputation> computation)
    {
        _input = input;
        _outputs = outputs;
        _dependencies = dependencies;
        _computation = computation;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input.Schema);
        builder.AddColumns(outputs);
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => _input.CanShuffle;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        var inputCount = _input.Schema.Count;
        var anyOutput = active.Skip(inputCount).Any(a => a);
        var inputActive = new bool[inputCount];
        for (var i = 0; i < inputCount; i++) inputActive[i] = active[i];
        if (anyOutput) foreach (var d in _dependencies) inputActive[d.Index] = true;
        var columns = Enumerable.Range(0, inputCount).Where(i => inputActive[i]).Select(i => _input.Schema[i]).ToList();
        var cursor = _input.GetRowCursor(columns, rand);
        try
        {
            return new Cursor(this, cursor, columns, active, anyOutput ? _computation() : null);
        }
        catch
        {
            cursor.Dispose();
            throw;
        }
    }

    // Attacks run on one device in one thread: a single cursor.
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchedDataView _parent;
        private readonly DataViewRowCursor _input;
        private readonly BatchComputation? _computation;
        private readonly Delegate?[] _getters;
        private readonly ColumnBuffer[] _buffers;
        private readonly ValueGetter<DataViewRowId> _inputId;
        private readonly DataViewRowId[] _ids;
        private readonly long[] _positions;
        private readonly BufferedRows _rows;
        private int _count;
        private int _row = -1;
        private long _position = -1;
        private bool _done;
        private bool _disposed;

        internal Cursor(BatchedDataView parent, DataViewRowCursor input, List<DataViewSchema.Column> inputColumns, bool[] active, BatchComputation? computation)
        {
            _parent = parent;
            _input = input;
            _computation = computation;
            var batch = computation?.BatchSize ?? 1;
            _ids = new DataViewRowId[batch];
            _positions = new long[batch];
            _inputId = input.GetIdGetter();
            var buffers = inputColumns.ToDictionary(c => c.Index, c => ColumnBuffer.For(input, c, batch));
            _buffers = buffers.Values.ToArray();
            _rows = new BufferedRows(buffers);
            _getters = new Delegate?[parent.Schema.Count];
            var inputCount = parent._input.Schema.Count;
            for (var i = 0; i < inputCount; i++)
                if (active[i]) _getters[i] = buffers[i].MakeGetter(CurrentRow);
            for (var o = 0; o < parent._outputs.Length; o++)
                if (active[inputCount + o]) _getters[inputCount + o] = computation!.MakeGetter(o, CurrentRow);
        }

        private int CurrentRow()
        {
            if (_row < 0 || _done) throw new InvalidOperationException("The cursor is not on a row.");
            return _row;
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override long Position => _done ? -1 : _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
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
                return false;
            }
            _row = 0;
            _position++;
            return true;
        }

        private void Fill()
        {
            _count = 0;
            var capacity = _ids.Length;
            while (_count < capacity && _input.MoveNext())
            {
                foreach (var b in _buffers) b.Capture(_count);
                _inputId(ref _ids[_count]);
                _positions[_count] = _position + 1 + _count;
                _count++;
            }
            if (_count > 0) _computation?.Compute(_rows, _count, _positions);
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = _ids[CurrentRow()];

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _getters.Length && _getters[column.Index] != null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            CursorChecks.Getter<TValue>(this, column, column.Index < _getters.Length ? _getters[column.Index] : null);

        protected override void Dispose(bool disposing)
        {
            if (_disposed) return;
            _disposed = true;
            if (disposing) _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
