using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Trainers.Scoring;

/// <summary>Keeps one input column's values for the rows of a batch, copied so they outlive the input cursor's buffers,
/// and hands them out again as the batch is read.</summary>
internal abstract class InputSlot
{
    public static InputSlot Create(DataViewRow row, DataViewSchema.Column column, int capacity) =>
        (InputSlot)Activator.CreateInstance(typeof(InputSlot<>).MakeGenericType(column.Type.RawType), row, column, capacity)!;

    /// <summary>Appends the current row's value.</summary>
    public abstract void Append();

    public abstract void Clear();

    /// <summary>A getter reading the value of the row <paramref name="row"/> returns.</summary>
    public abstract Delegate MakeGetter(Func<int> row);
}

internal sealed class InputSlot<T> : InputSlot
{
    private readonly ValueGetter<T> _getter;
    private readonly List<T> _values;
    // Vectors get fresh arrays: the source cursor may reuse its buffer, and callers may write into theirs.
    private static readonly Func<T, T>? s_copy = MakeCopy();

    public InputSlot(DataViewRow row, DataViewSchema.Column column, int capacity)
    {
        _getter = row.GetGetter<T>(column);
        _values = new List<T>(capacity);
    }

    public override void Append()
    {
        T value = default!;
        _getter(ref value);
        _values.Add(s_copy is null ? value : s_copy(value));
    }

    public override void Clear() => _values.Clear();

    public override Delegate MakeGetter(Func<int> row) =>
        (ValueGetter<T>)((ref T destination) => destination = s_copy is null ? _values[row()] : s_copy(_values[row()]));

    private static Func<T, T>? MakeCopy()
    {
        if (!typeof(T).IsGenericType || typeof(T).GetGenericTypeDefinition() != typeof(VBuffer<>)) return null;
        var method = typeof(InputSlot<T>).GetMethod(nameof(CopyVector), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(typeof(T).GetGenericArguments()[0]);
        return (Func<T, T>)method.CreateDelegate(typeof(Func<T, T>));
    }

    private static VBuffer<TItem> CopyVector<TItem>(VBuffer<TItem> source)
    {
        var copy = default(VBuffer<TItem>);
        source.CopyTo(ref copy);
        return copy;
    }
}
