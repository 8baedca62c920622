namespace MLRobust.ML;

/// <summary>
/// The rows of its source for which a predicate holds. The predicate is built once per cursor from the input
/// cursor (so it can take getters) and reads <c>predicateColumns</c>, which are opened in addition to the requested ones.
/// </summary>
internal sealed class RowFilterDataView : IDataView
{
    private readonly IDataView _source;
    private readonly DataViewSchema.Column[] _predicateColumns;
    private readonly Func<DataViewRowCursor, Func<bool>> _makePredicate;
    private readonly bool _allowShuffle;

    internal RowFilterDataView(IDataView source, IEnumerable<DataViewSchema.Column> predicateColumns, Func<DataViewRowCursor, Func<bool>> makePredicate, bool allowShuffle)
    {
        _source = source;
        _predicateColumns = predicateColumns.ToArray();
        _makePredicate = makePredicate;
        _allowShuffle = allowShuffle;
    }

    public DataViewSchema Schema => _source.Schema;

    /// <summary>Filters whose predicate depends on row order (e.g. position-based splits) must not shuffle.</summary>
    public bool CanShuffle => _allowShuffle && _source.CanShuffle;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        var columns = columnsNeeded.Concat(_predicateColumns).DistinctBy(c => c.Index).ToList();
        var input = _source.GetRowCursor(columns, CanShuffle ? rand : null);
        try
        {
            return new Cursor(input, _makePredicate(input), needed);
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : RootCursorBase
    {
        private readonly DataViewRowCursor _input;
        private readonly Func<bool> _predicate;
        private readonly bool[] _visible;

        public Cursor(DataViewRowCursor input, Func<bool> predicate, bool[] visible)
        {
            _input = input;
            _predicate = predicate;
            _visible = visible;
        }

        public override DataViewSchema Schema => _input.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => _visible[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            CursorChecks.Getter<TValue>(this, column, _visible[column.Index] ? _input.GetGetter<TValue>(column) : null);

        protected override bool MoveNextCore()
        {
            while (_input.MoveNext())
                if (_predicate()) return true;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
