namespace MLRobust.ML;

/// <summary>
/// Keeps the values of its source in memory: the first cursor that needs a column not cached yet triggers one
/// pass over the source for all such columns; later cursors read memory and can shuffle.
/// </summary>
internal sealed class CacheDataView : IDataView
{
    private readonly IHostEnvironment _env;
    private readonly IDataView _source;
    private readonly ColumnStore?[] _stores;
    private readonly int[] _prefetch;
    private readonly object _lock = new();
    private int? _rowCount;

    internal CacheDataView(IHostEnvironment env, IDataView source, int[] prefetch)
    {
        _env = env;
        _source = source;
        _stores = new ColumnStore?[source.Schema.Count];
        _prefetch = prefetch;
    }

    public DataViewSchema Schema => _source.Schema;
    public bool CanShuffle => true;
    public long? GetRowCount() => _rowCount ?? _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        var (stores, count) = Fill(active);
        return new IndexCursor(Schema, stores, active, rand is null ? null : Permutation.Create(count, rand), count);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private (ColumnStore[] Stores, int Count) Fill(bool[] active)
    {
        lock (_lock)
        {
            var missing = Enumerable.Range(0, active.Length).Where(i => (active[i] || _prefetch.Contains(i)) && _stores[i] is null).ToList();
            if (missing.Count > 0 || _rowCount is null)
            {
                var fresh = missing.ToDictionary(i => i, i => ColumnStore.Create(Schema[i].Type));
                using var cursor = _source.GetRowCursor(missing.Select(i => Schema[i]));
                var appenders = missing.Select(i => fresh[i].MakeAppender(cursor, Schema[i])).ToArray();
                var count = 0;
                while (cursor.MoveNext())
                {
                    if ((count & 1023) == 0) _env.CheckAlive();
                    foreach (var append in appenders) append();
                    count++;
                }
                if (_rowCount is { } known && known != count)
                    throw new InvalidOperationException($"The cached data view's source gave {count} rows on one pass and {known} on another; caching needs a repeatable source.");
                _rowCount = count;
                foreach (var (i, store) in fresh) _stores[i] = store;
            }
            var stores = _stores.Select((s, i) => s ?? (active[i] ? throw new InvalidOperationException("cache fill failed") : EmptyStore(i))).ToArray();
            return (stores, _rowCount!.Value);
        }
    }

    private ColumnStore EmptyStore(int column) => new PlaceholderStore(_rowCount!.Value);

    // Stands in for columns that are neither cached nor requested; never read.
    private sealed class PlaceholderStore : ColumnStore
    {
        private readonly int _count;
        public PlaceholderStore(int count) => _count = count;
        public override int Count => _count;
        public override Action MakeAppender(DataViewRow row, DataViewSchema.Column column) => throw new NotSupportedException();
        public override Delegate MakeGetter(Func<int> row) => throw new NotSupportedException();
        protected override void AddRange(Array values) => throw new NotSupportedException();
    }
}
