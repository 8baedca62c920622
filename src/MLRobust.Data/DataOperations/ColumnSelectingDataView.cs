namespace MLRobust.ML;

/// <summary>A view showing a subset of its source's columns (in the given order); hidden columns are dropped.</summary>
internal sealed class ColumnSelectingDataView : IDataView
{
    private readonly IDataView _source;
    private readonly int[] _sourceIndices;

    internal ColumnSelectingDataView(IDataView source, int[] sourceIndices)
    {
        _source = source;
        _sourceIndices = sourceIndices;
        Schema = BuildSchema(source.Schema, sourceIndices);
    }

    internal static DataViewSchema BuildSchema(DataViewSchema source, int[] sourceIndices)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var i in sourceIndices) builder.AddColumn(source[i].Name, source[i].Type, source[i].Annotations);
        return builder.ToSchema();
    }

    public DataViewSchema Schema { get; }
    public bool CanShuffle => _source.CanShuffle;
    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        var input = _source.GetRowCursor(Enumerable.Range(0, active.Length).Where(i => active[i]).Select(i => _source.Schema[_sourceIndices[i]]), rand);
        return new Cursor(this, input, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ColumnSelectingDataView _parent;
        private readonly DataViewRowCursor _input;
        private readonly bool[] _active;

        public Cursor(ColumnSelectingDataView parent, DataViewRowCursor input, bool[] active)
        {
            _parent = parent;
            _input = input;
            _active = active;
        }

        public override DataViewSchema Schema => _parent.Schema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override bool MoveNext() => _input.MoveNext();
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            CursorChecks.Getter<TValue>(this, column, _active[column.Index] ? _input.GetGetter<TValue>(_input.Schema[_parent._sourceIndices[column.Index]]) : null);

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
