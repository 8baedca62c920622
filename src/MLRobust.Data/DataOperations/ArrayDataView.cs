using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>A data view over columns held in memory; it can shuffle.</summary>
internal sealed class ArrayDataView : IDataView
{
    private readonly ColumnStore[] _columns;
    private readonly int _rowCount;

    internal ArrayDataView(DataViewSchema schema, ColumnStore[] columns, int rowCount)
    {
        Schema = schema;
        _columns = columns;
        _rowCount = rowCount;
        if (columns.Length != schema.Count || columns.Any(c => c.Count != rowCount))
            throw new ArgumentException("Every column needs one value per row.");
    }

    /// <summary>A view of named columns given as arrays of their raw type.</summary>
    internal static ArrayDataView FromArrays(params (string Name, DataViewType Type, Array Values)[] columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var c in columns) builder.AddColumn(c.Name, c.Type);
        var rows = columns.Length == 0 ? 0 : columns[0].Values.Length;
        return new ArrayDataView(builder.ToSchema(), columns.Select(c => ColumnStore.FromArray(c.Type, c.Values)).ToArray(), rows);
    }

    public DataViewSchema Schema { get; }
    public bool CanShuffle => true;
    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        return new IndexCursor(Schema, _columns, active, rand is null ? null : Permutation.Create(_rowCount, rand), _rowCount);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };
}

/// <summary>A cursor over in-memory columns, in order or through a permutation.</summary>
internal sealed class IndexCursor : RootCursorBase
{
    private readonly DataViewSchema _schema;
    private readonly Delegate?[] _getters;
    private readonly int[]? _order;
    private readonly int _count;
    private int _next;
    private int _row = -1;

    internal IndexCursor(DataViewSchema schema, ColumnStore[] columns, bool[] active, int[]? order, int count)
    {
        _schema = schema;
        _order = order;
        _count = count;
        _getters = new Delegate?[columns.Length];
        for (var i = 0; i < columns.Length; i++)
            if (active[i]) _getters[i] = columns[i].MakeGetter(CurrentRow);
    }

    private int CurrentRow() => _row >= 0 ? _row : throw new InvalidOperationException("The cursor is not on a row.");

    public override DataViewSchema Schema => _schema;

    public override bool IsColumnActive(DataViewSchema.Column column) => _getters[column.Index] != null;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => CheckGetter<TValue>(column, _getters[column.Index]);

    protected override bool MoveNextCore()
    {
        if (_next >= _count)
        {
            _row = -1;
            return false;
        }
        _row = _order is null ? _next : _order[_next];
        _next++;
        return true;
    }
}
