using System.Globalization;
using MLRobust.ML.Data;

namespace MLRobust.ML.Transforms;

/// <summary>The values a key column stands for (key k is value k-1) and the reverse lookup, for one item type.</summary>
internal abstract class KeyTerms
{
    internal static KeyTerms Create(PrimitiveDataViewType itemType) =>
        (KeyTerms)Activator.CreateInstance(typeof(KeyTerms<>).MakeGenericType(itemType.RawType), itemType)!;

    public abstract PrimitiveDataViewType ItemType { get; }
    public abstract int Count { get; }

    /// <summary>Adds the distinct values of <paramref name="column"/> (scalar or vector) in order of occurrence, up to <paramref name="max"/>.</summary>
    public abstract void Collect(IDataView data, DataViewSchema.Column column, int max);

    public abstract void SortByValue();

    /// <summary>A getter of keys (uint; vectors of keys for vector inputs) reading <paramref name="input"/>.</summary>
    public abstract Delegate MakeKeyGetter(DataViewRow input, DataViewSchema.Column column);

    /// <summary>The KeyValues annotation (as text when <paramref name="asText"/>).</summary>
    public abstract DataViewSchema.Annotations MakeAnnotations(bool asText);

    /// <summary>The terms in invariant text form, for saving.</summary>
    public abstract string[] ToText();

    public abstract void AddFromText(IEnumerable<string> terms);
}

internal sealed class KeyTerms<T> : KeyTerms where T : notnull
{
    private readonly List<T> _terms = new();
    private readonly Dictionary<T, uint> _index;

    public KeyTerms(PrimitiveDataViewType itemType)
    {
        ItemType = itemType;
        _index = new Dictionary<T, uint>(typeof(T) == typeof(ReadOnlyMemory<char>) ? (IEqualityComparer<T>)(object)new TextComparer() : EqualityComparer<T>.Default);
    }

    public override PrimitiveDataViewType ItemType { get; }
    public override int Count => _terms.Count;

    private bool Add(T value)
    {
        if (IsMissing(value) || _index.ContainsKey(value)) return false;
        if (value is ReadOnlyMemory<char> m) value = (T)(object)m.ToString().AsMemory(); // own the characters
        _terms.Add(value);
        _index[value] = (uint)_terms.Count;
        return true;
    }

    private static bool IsMissing(T value) => value switch
    {
        float f => float.IsNaN(f),
        double d => double.IsNaN(d),
        _ => false,
    };

    public override void Collect(IDataView data, DataViewSchema.Column column, int max)
    {
        using var cursor = data.GetRowCursor(column);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<T>>(column);
            var buffer = default(VBuffer<T>);
            while (cursor.MoveNext() && _terms.Count < max)
            {
                getter(ref buffer);
                foreach (var v in buffer.DenseValues())
                {
                    Add(v);
                    if (_terms.Count >= max) break;
                }
            }
        }
        else
        {
            var getter = cursor.GetGetter<T>(column);
            T value = default!;
            while (cursor.MoveNext() && _terms.Count < max)
            {
                getter(ref value);
                Add(value);
            }
        }
    }

    public override void SortByValue()
    {
        var sorted = typeof(T) == typeof(ReadOnlyMemory<char>)
            ? _terms.OrderBy(t => ((ReadOnlyMemory<char>)(object)t).ToString(), StringComparer.Ordinal).ToList()
            : _terms.OrderBy(t => t, Comparer<T>.Default).ToList();
        _terms.Clear();
        _index.Clear();
        foreach (var t in sorted) Add(t);
    }

    private uint Lookup(T value) => !IsMissing(value) && _index.TryGetValue(value, out var key) ? key : 0;

    public override Delegate MakeKeyGetter(DataViewRow input, DataViewSchema.Column column)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = input.GetGetter<VBuffer<T>>(column);
            var buffer = default(VBuffer<T>);
            return (ValueGetter<VBuffer<uint>>)((ref VBuffer<uint> dst) =>
            {
                getter(ref buffer);
                var editor = VBufferEditor.Create(ref dst, buffer.Length);
                var i = 0;
                foreach (var v in buffer.DenseValues()) editor.Values[i++] = Lookup(v);
                dst = editor.Commit();
            });
        }
        var scalar = input.GetGetter<T>(column);
        return (ValueGetter<uint>)((ref uint dst) =>
        {
            T value = default!;
            scalar(ref value);
            dst = Lookup(value);
        });
    }

    public override DataViewSchema.Annotations MakeAnnotations(bool asText)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        if (asText || typeof(T) == typeof(ReadOnlyMemory<char>))
        {
            var text = _terms.Select(t => t is ReadOnlyMemory<char> m ? m : Invariant(t).AsMemory()).ToArray();
            builder.AddKeyValues(text.Length, TextDataViewType.Instance, (ref VBuffer<ReadOnlyMemory<char>> dst) => new VBuffer<ReadOnlyMemory<char>>(text.Length, text).CopyTo(ref dst));
        }
        else
        {
            var values = _terms.ToArray();
            builder.AddKeyValues(values.Length, ItemType, (ref VBuffer<T> dst) => new VBuffer<T>(values.Length, values).CopyTo(ref dst));
        }
        return builder.ToAnnotations();
    }

    public override string[] ToText() => _terms.Select(Invariant).ToArray();

    public override void AddFromText(IEnumerable<string> terms)
    {
        foreach (var text in terms)
        {
            object value = typeof(T) == typeof(ReadOnlyMemory<char>) ? text.AsMemory()
                : typeof(T) == typeof(bool) ? bool.Parse(text)
                : Convert.ChangeType(text, typeof(T), CultureInfo.InvariantCulture);
            if (!Add((T)value)) throw new FormatException($"Key value '{text}' is listed twice.");
        }
    }

    private static string Invariant(T value) => value switch
    {
        ReadOnlyMemory<char> m => m.ToString(),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private sealed class TextComparer : IEqualityComparer<ReadOnlyMemory<char>>
    {
        public bool Equals(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceEqual(y.Span);
        public int GetHashCode(ReadOnlyMemory<char> obj) => string.GetHashCode(obj.Span);
    }
}
