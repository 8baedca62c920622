using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>
/// A data view over objects. Over an <see cref="IList{T}"/> it knows its row count and can shuffle; over any
/// other enumerable it streams (each cursor enumerates the source again, so it must be repeatable).
/// Getters are made only for the columns a cursor asks for.
/// </summary>
internal sealed class EnumerableDataView<TRow> : IDataView where TRow : class
{
    private readonly IEnumerable<TRow> _data;
    private readonly IList<TRow>? _list;
    private readonly MemberBinding[] _bindings;

    public EnumerableDataView(IEnumerable<TRow> data, SchemaDefinition definition)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _list = data as IList<TRow> ?? (data as IReadOnlyList<TRow> is { } ro ? new ReadOnlyListAdapter(ro) : null);
        _bindings = MemberBinding.For(typeof(TRow), definition);
        var builder = new DataViewSchema.Builder();
        foreach (var b in _bindings) builder.AddColumn(b.ColumnName, b.ColumnType, b.Annotations);
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => _list != null;

    public long? GetRowCount() => _list?.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        IEnumerator<TRow> rows;
        if (rand != null && _list != null)
        {
            var order = Permutation.Create(_list.Count, rand);
            rows = order.Select(i => _list[i]).GetEnumerator();
        }
        else
        {
            rows = _data.GetEnumerator();
        }
        return new Cursor(this, rows, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : RootCursorBase
    {
        private readonly EnumerableDataView<TRow> _parent;
        private readonly IEnumerator<TRow> _rows;
        private readonly Delegate?[] _getters;
        private TRow? _current;
        private long _index = -1;

        public Cursor(EnumerableDataView<TRow> parent, IEnumerator<TRow> rows, bool[] active)
        {
            _parent = parent;
            _rows = rows;
            _getters = new Delegate?[active.Length];
            for (var i = 0; i < active.Length; i++)
                if (active[i]) _getters[i] = parent._bindings[i].MakeGetter(() => _current ?? throw new InvalidOperationException("The cursor is not on a row."));
        }

        public override DataViewSchema Schema => _parent.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) => _getters[column.Index] != null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => CheckGetter<TValue>(column, _getters[column.Index]);

        protected override bool MoveNextCore()
        {
            if (!_rows.MoveNext())
            {
                _current = null;
                return false;
            }
            _index++;
            _current = _rows.Current ?? throw new InvalidOperationException($"Row {_index} of the enumerable is null.");
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _rows.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class ReadOnlyListAdapter : System.Collections.ObjectModel.Collection<TRow>
    {
        public ReadOnlyListAdapter(IReadOnlyList<TRow> list) : base(list as IList<TRow> ?? list.ToList()) { }
    }
}
