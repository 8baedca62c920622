using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.MLNet;

/// <summary>The lazy view a column-adding transformer returns: each cursor wraps a cursor of the input and computes the
/// added columns of the current row on demand.</summary>
internal sealed class ColumnMapperDataView : IDataView
{
    private readonly IDataView _input;
    private readonly ColumnMapperRowToRowMapper _mapper;

    public ColumnMapperDataView(IDataView input, IColumnMapper mapper)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _mapper = new ColumnMapperRowToRowMapper(input.Schema, mapper);
    }

    public DataViewSchema Schema => _mapper.OutputSchema;
    public bool CanShuffle => _input.CanShuffle;
    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        // A cursor asked for with a Random (a shuffled pass) gives random transforms a seed of their own for the pass.
        int? cursorSeed = rand?.Next();
        var cursor = _input.GetRowCursor(_mapper.GetDependencies(needed), rand);
        return new Cursor(cursor, _mapper.GetRow(cursor, needed, cursorSeed));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor input, DataViewRow row) : DataViewRowCursor
    {
        public override DataViewSchema Schema => row.Schema;
        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override bool MoveNext() => input.MoveNext();
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => row.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => row.GetGetter<TValue>(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing) input.Dispose();
            base.Dispose(disposing);
        }
    }
}
