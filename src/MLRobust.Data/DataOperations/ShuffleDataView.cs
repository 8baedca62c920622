namespace MLRobust.ML;

/// <summary>
/// Rows in a random order. A source that can shuffle is asked to; otherwise rows pass through a pool of
/// <c>poolSize</c> rows from which each next row is drawn at random. Without a caller's <see cref="Random"/>
/// every cursor uses the view's seed, so the order is repeatable.
/// </summary>
internal sealed class ShuffleDataView : IDataView
{
    private readonly IDataView _source;
    private readonly int _seed;
    private readonly int _poolSize;
    private readonly bool _shuffleSource;

    internal ShuffleDataView(IDataView source, int seed, int poolSize, bool shuffleSource)
    {
        _source = source;
        _seed = seed;
        _poolSize = poolSize;
        _shuffleSource = shuffleSource;
    }

    public DataViewSchema Schema => _source.Schema;
    public bool CanShuffle => true;
    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        rand ??= new Random(_seed);
        var columns = columnsNeeded.ToList();
        if (_shuffleSource && _source.CanShuffle) return _source.GetRowCursor(columns, rand);
        return new PoolCursor(_source.GetRowCursor(columns), CursorChecks.ActiveFlags(Schema, columns), _poolSize, rand);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class PoolCursor : RootCursorBase
    {
        private readonly DataViewRowCursor _input;
        private readonly Random _rand;
        private readonly int _poolSize;
        private readonly ColumnStoreRing[] _rings;
        private readonly Delegate?[] _getters;
        private readonly List<int> _free = new();
        private readonly List<int> _filled = new();
        private bool _inputDone;
        private int _current = -1;

        public PoolCursor(DataViewRowCursor input, bool[] active, int poolSize, Random rand)
        {
            _input = input;
            _rand = rand;
            _poolSize = poolSize;
            _rings = new ColumnStoreRing[active.Length];
            _getters = new Delegate?[active.Length];
            for (var i = 0; i < active.Length; i++)
            {
                if (!active[i]) continue;
                _rings[i] = ColumnStoreRing.Create(input.Schema[i].Type, poolSize);
                _rings[i].Bind(input, input.Schema[i]);
                _getters[i] = _rings[i].MakeGetter(() => _current);
            }
            for (var s = 0; s < poolSize; s++) _free.Add(s);
        }

        public override DataViewSchema Schema => _input.Schema;
        public override bool IsColumnActive(DataViewSchema.Column column) => _getters[column.Index] != null;
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => CheckGetter<TValue>(column, _getters[column.Index]);

        protected override bool MoveNextCore()
        {
            if (_current >= 0) _free.Add(_current);
            _current = -1;
            while (!_inputDone && _free.Count > 0)
            {
                if (!_input.MoveNext())
                {
                    _inputDone = true;
                    break;
                }
                var slot = _free[^1];
                _free.RemoveAt(_free.Count - 1);
                foreach (var ring in _rings) ring?.Store(slot);
                _filled.Add(slot);
            }
            if (_filled.Count == 0) return false;
            var pick = _rand.Next(_filled.Count);
            _current = _filled[pick];
            _filled[pick] = _filled[^1];
            _filled.RemoveAt(_filled.Count - 1);
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _input.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>A fixed number of slots holding copies of one column's values.</summary>
internal abstract class ColumnStoreRing
{
    internal static ColumnStoreRing Create(ML.Data.DataViewType type, int size) =>
        (ColumnStoreRing)Activator.CreateInstance(typeof(ColumnStoreRing<>).MakeGenericType(type.RawType), size)!;

    public abstract void Bind(DataViewRow row, DataViewSchema.Column column);
    public abstract void Store(int slot);
    public abstract Delegate MakeGetter(Func<int> slot);
}

internal sealed class ColumnStoreRing<T> : ColumnStoreRing
{
    private readonly T[] _slots;
    private readonly Func<T, T> _copy = ML.Data.ValueCopier.For<T>();
    private ValueGetter<T>? _getter;

    public ColumnStoreRing(int size) => _slots = new T[size];

    public override void Bind(DataViewRow row, DataViewSchema.Column column) => _getter = row.GetGetter<T>(column);

    public override void Store(int slot)
    {
        T value = default!;
        _getter!(ref value);
        _slots[slot] = _copy(value);
    }

    public override Delegate MakeGetter(Func<int> slot) => (ValueGetter<T>)((ref T dst) =>
    {
        var s = slot();
        if (s < 0) throw new InvalidOperationException("The cursor is not on a row.");
        dst = _slots[s];
    });
}
