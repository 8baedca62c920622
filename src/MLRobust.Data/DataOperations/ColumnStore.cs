using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>The values of one column kept in memory (copied, so they outlive cursor buffers).</summary>
internal abstract class ColumnStore
{
    internal static ColumnStore Create(DataViewType type) =>
        (ColumnStore)Activator.CreateInstance(typeof(ColumnStore<>).MakeGenericType(type.RawType))!;

    internal static ColumnStore FromArray(DataViewType type, Array values)
    {
        var store = Create(type);
        store.AddRange(values);
        return store;
    }

    public abstract int Count { get; }

    /// <summary>An action that appends the row's current value of <paramref name="column"/>.</summary>
    public abstract Action MakeAppender(DataViewRow row, DataViewSchema.Column column);

    /// <summary>A getter reading the value at the index <paramref name="row"/> returns.</summary>
    public abstract Delegate MakeGetter(Func<int> row);

    protected abstract void AddRange(Array values);
}

internal sealed class ColumnStore<T> : ColumnStore
{
    private readonly List<T> _values = new();
    private readonly Func<T, T> _copy = ValueCopier.For<T>();

    public override int Count => _values.Count;

    public override Action MakeAppender(DataViewRow row, DataViewSchema.Column column)
    {
        var getter = row.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            _values.Add(_copy(value));
        };
    }

    public override Delegate MakeGetter(Func<int> row)
    {
        if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(VBuffer<>))
        {
            // Hand out copies: callers may write into the buffer they pass in.
            return (ValueGetter<T>)((ref T dst) => dst = _copy(_values[row()]));
        }
        return (ValueGetter<T>)((ref T dst) => dst = _values[row()]);
    }

    protected override void AddRange(Array values) => _values.AddRange((T[])values);
}
