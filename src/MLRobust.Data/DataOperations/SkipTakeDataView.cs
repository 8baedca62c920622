namespace MLRobust.ML;

/// <summary>Rows [skip, skip + take) of its source, in the source's order.</summary>
internal sealed class SkipTakeDataView : IDataView
{
    private readonly IDataView _source;
    private readonly long _skip;
    private readonly long _take;

    internal SkipTakeDataView(IDataView source, long skip, long take)
    {
        _source = source;
        _skip = skip;
        _take = take;
    }

    public DataViewSchema Schema => _source.Schema;
    public bool CanShuffle => false;

    public long? GetRowCount() =>
        _source.GetRowCount() is { } n ? Math.Max(0, Math.Min(n - _skip, _take)) : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_source.GetRowCursor(columnsNeeded), _skip, _take);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : RootCursorBase
    {
        private readonly DataViewRowCursor _input;
        private long _toSkip;
        private long _left;

        public Cursor(DataViewRowCursor input, long skip, long take)
        {
            _input = input;
            _toSkip = skip;
            _left = take;
        }

        public override DataViewSchema Schema => _input.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => _input.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _input.GetGetter<TValue>(column);

        protected override bool MoveNextCore()
        {
            while (_toSkip > 0)
            {
                if (!_input.MoveNext()) return false;
                _toSkip--;
            }
            if (_left <= 0) return false;
            _left--;
            return _input.MoveNext();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
