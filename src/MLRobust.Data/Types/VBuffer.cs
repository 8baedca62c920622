using System.Collections;

namespace MLRobust.ML.Data;

/// <summary>
/// A vector value: dense (all <see cref="Length"/> items stored) or sparse (only the items at
/// <see cref="GetIndices"/> stored, the rest are default). Getters may reuse the arrays of the buffer they are
/// handed (<c>getter(ref buffer)</c>), so a value is only valid until the next call; copy it to keep it.
/// </summary>
public readonly struct VBuffer<T>
{
    private readonly T[]? _values;
    private readonly int[]? _indices;
    private readonly int _count;

    /// <summary>The logical number of items.</summary>
    public readonly int Length;

    /// <summary>A dense vector over the first <paramref name="length"/> items of <paramref name="values"/>,
    /// or a sparse one when <paramref name="indices"/> is given (then <paramref name="values"/>.Length items are stored).</summary>
    public VBuffer(int length, T[] values, int[]? indices = null)
        : this(length, indices is null ? length : Math.Min(values?.Length ?? 0, indices.Length), values!, indices) { }

    /// <summary>A vector of logical length <paramref name="length"/> storing <paramref name="count"/> items.</summary>
    public VBuffer(int length, int count, T[] values, int[]? indices = null)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), "A vector length can't be negative.");
        if (count < 0 || count > length) throw new ArgumentOutOfRangeException(nameof(count), $"The stored count {count} must be between 0 and the length {length}.");
        if (count > 0 && (values is null || values.Length < count))
            throw new ArgumentException($"The values array must hold at least {count} items.", nameof(values));
        if (count < length)
        {
            if (count > 0 && (indices is null || indices.Length < count))
                throw new ArgumentException($"A sparse vector needs at least {count} indices.", nameof(indices));
            for (var i = 0; i < count; i++)
            {
                if (indices![i] < 0 || indices[i] >= length || (i > 0 && indices[i] <= indices[i - 1]))
                    throw new ArgumentException("Sparse indices must be strictly increasing and inside the vector.", nameof(indices));
            }
        }
        Length = length;
        _count = count;
        _values = values;
        _indices = indices;
    }

    /// <summary>Whether every item is stored.</summary>
    public bool IsDense => _count == Length;

    /// <summary>The stored items (all of them when dense).</summary>
    public ReadOnlySpan<T> GetValues() => _values is null ? ReadOnlySpan<T>.Empty : _values.AsSpan(0, _count);

    /// <summary>The positions of the stored items; empty when dense.</summary>
    public ReadOnlySpan<int> GetIndices() => IsDense || _indices is null ? ReadOnlySpan<int>.Empty : _indices.AsSpan(0, _count);

    /// <summary>The item at <paramref name="index"/>, default when it is not stored.</summary>
    public T GetItemOrDefault(int index)
    {
        if ((uint)index >= (uint)Length) throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is outside a vector of length {Length}.");
        if (IsDense) return _values![index];
        var found = GetIndices().BinarySearch(index);
        return found >= 0 ? _values![found] : default!;
    }

    /// <summary>Writes all <see cref="Length"/> items into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<T> destination)
    {
        if (destination.Length < Length) throw new ArgumentException($"The destination holds {destination.Length} items; the vector has {Length}.", nameof(destination));
        if (IsDense)
        {
            GetValues().CopyTo(destination);
            return;
        }
        destination[..Length].Clear();
        var values = GetValues();
        var indices = GetIndices();
        for (var i = 0; i < values.Length; i++) destination[indices[i]] = values[i];
    }

    /// <summary>Copies this vector into <paramref name="destination"/>, reusing its arrays when they are large enough.</summary>
    public void CopyTo(ref VBuffer<T> destination)
    {
        var editor = VBufferEditor.Create(ref destination, Length, _count);
        GetValues().CopyTo(editor.Values);
        if (!IsDense) GetIndices().CopyTo(editor.Indices);
        destination = editor.Commit();
    }

    /// <summary>Copies this vector into <paramref name="destination"/> as a dense vector.</summary>
    public void CopyToDense(ref VBuffer<T> destination)
    {
        var editor = VBufferEditor.Create(ref destination, Length);
        CopyTo(editor.Values);
        destination = editor.Commit();
    }

    /// <summary>All <see cref="Length"/> items in order, defaults included.</summary>
    public IEnumerable<T> DenseValues()
    {
        var items = new T[Length];
        CopyTo(items);
        return items;
    }

    /// <summary>The stored (index, value) pairs; with <paramref name="all"/> every index, defaults included.</summary>
    public IEnumerable<KeyValuePair<int, T>> Items(bool all = false)
    {
        var items = all || IsDense ? DenseValues().Select((v, i) => new KeyValuePair<int, T>(i, v)).ToArray()
            : GetIndices().ToArray().Zip(GetValues().ToArray(), (i, v) => new KeyValuePair<int, T>(i, v)).ToArray();
        return items;
    }

    /// <summary>A dense copy as a new array.</summary>
    public T[] ToArray()
    {
        var items = new T[Length];
        CopyTo(items);
        return items;
    }

    public override string ToString() => $"VBuffer<{typeof(T).Name}>[{Length}{(IsDense ? "" : $", {_count} stored")}]";

    internal T[]? ValuesArray => _values;
    internal int[]? IndicesArray => _indices;
}

/// <summary>Creates editors that write into a <see cref="VBuffer{T}"/>, reusing its arrays.</summary>
public static class VBufferEditor
{
    /// <summary>An editor for a vector of <paramref name="newLength"/> items storing <paramref name="maxValuesCapacity"/> of them
    /// (all when null: dense). Set <c>Values</c> (and <c>Indices</c> when sparse), then call <c>Commit</c>.</summary>
    public static VBufferEditor<T> Create<T>(ref VBuffer<T> destination, int newLength, int? maxValuesCapacity = null)
    {
        if (newLength < 0) throw new ArgumentOutOfRangeException(nameof(newLength), "A vector length can't be negative.");
        var count = maxValuesCapacity ?? newLength;
        if (count < 0 || count > newLength) throw new ArgumentOutOfRangeException(nameof(maxValuesCapacity), $"The stored count {count} must be between 0 and {newLength}.");
        var values = destination.ValuesArray;
        if (values is null || values.Length < count) values = new T[count];
        int[]? indices = null;
        if (count < newLength)
        {
            indices = destination.IndicesArray;
            if (indices is null || indices.Length < count) indices = new int[count];
        }
        return new VBufferEditor<T>(newLength, count, values, indices);
    }
}

/// <summary>Write access to the arrays of a vector being built; <see cref="Commit"/> produces the vector.</summary>
public readonly ref struct VBufferEditor<T>
{
    private readonly int _length;
    private readonly int _count;
    private readonly T[] _values;
    private readonly int[]? _indices;

    internal VBufferEditor(int length, int count, T[] values, int[]? indices)
    {
        _length = length;
        _count = count;
        _values = values;
        _indices = indices;
    }

    public Span<T> Values => _values.AsSpan(0, _count);

    public Span<int> Indices => _indices is null ? Span<int>.Empty : _indices.AsSpan(0, _count);

    public VBuffer<T> Commit() => new(_length, _count, _values, _indices);

    /// <summary>Commits only the first <paramref name="maxValuesCount"/> stored items.</summary>
    public VBuffer<T> CommitTruncated(int maxValuesCount) => new(_length, maxValuesCount, _values, maxValuesCount == _length ? null : _indices);
}
