using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Attacks.Transforms;

/// <summary>Keeps the values of one input column for the rows of a batch, so they can be served after the input
/// cursor has moved on.</summary>
internal abstract class ColumnBuffer
{
    internal abstract void Capture(int row);

    /// <summary>A getter serving the value of the row <paramref name="row"/> returns.</summary>
    internal abstract Delegate MakeGetter(Func<int> row);

    internal static ColumnBuffer For(DataViewRow input, DataViewSchema.Column column, int capacity)
    {
        var raw = column.Type.RawType;
        var type = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? typeof(VectorColumnBuffer<>).MakeGenericType(raw.GetGenericArguments()[0])
            : typeof(ColumnBuffer<>).MakeGenericType(raw);
        return (ColumnBuffer)Activator.CreateInstance(type, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance, null,
            new object[] { input, column, capacity }, null)!;
    }
}

internal class ColumnBuffer<T> : ColumnBuffer
{
    private readonly ValueGetter<T> _getter;
    private readonly T[] _values;

    internal ColumnBuffer(DataViewRow input, DataViewSchema.Column column, int capacity)
    {
        _getter = input.GetGetter<T>(column);
        _values = new T[capacity];
    }

    internal T Stored(int row) => _values[row];

    internal override void Capture(int row)
    {
        var value = default(T)!;
        _getter(ref value);
        _values[row] = Own(value);
    }

    /// <summary>A copy the input cursor can't overwrite.</summary>
    protected virtual T Own(T value) => value;

    /// <summary>Writes the stored value into the caller's buffer.</summary>
    protected virtual void Serve(T stored, ref T destination) => destination = stored;

    internal override Delegate MakeGetter(Func<int> row) => (ValueGetter<T>)((ref T value) => Serve(_values[row()], ref value));
}

internal sealed class VectorColumnBuffer<TItem> : ColumnBuffer<VBuffer<TItem>>
{
    internal VectorColumnBuffer(DataViewRow input, DataViewSchema.Column column, int capacity) : base(input, column, capacity) { }

    protected override VBuffer<TItem> Own(VBuffer<TItem> value)
    {
        var copy = default(VBuffer<TItem>);
        value.CopyTo(ref copy);
        return copy;
    }

    protected override void Serve(VBuffer<TItem> stored, ref VBuffer<TItem> destination) => stored.CopyTo(ref destination);
}
