using System.Collections;
using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>
/// The columns of a data view, in order. A column added with the name of an earlier one hides it: the earlier
/// column stays (<see cref="Column.IsHidden"/>) but lookups by name find the newest.
/// </summary>
public sealed partial class DataViewSchema : IReadOnlyList<DataViewSchema.Column>
{
    private readonly Column[] _columns;
    private readonly Dictionary<string, int> _visibleByName;

    private DataViewSchema(IEnumerable<(string Name, DataViewType Type, Annotations? Annotations)> columns)
    {
        var list = columns.ToList();
        var lastIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++) lastIndex[list[i].Name] = i;
        _columns = new Column[list.Count];
        for (var i = 0; i < list.Count; i++)
            _columns[i] = new Column(list[i].Name, i, lastIndex[list[i].Name] != i, list[i].Type, list[i].Annotations ?? Annotations.Empty);
        _visibleByName = lastIndex;
    }

    public static DataViewSchema Empty { get; } = new(Array.Empty<(string, DataViewType, Annotations?)>());

    public int Count => _columns.Length;

    public Column this[int columnIndex] =>
        (uint)columnIndex < (uint)_columns.Length ? _columns[columnIndex]
            : throw new ArgumentOutOfRangeException(nameof(columnIndex), $"Column index {columnIndex} is outside a schema of {_columns.Length} columns.");

    /// <summary>The visible column called <paramref name="name"/>; throws when there is none.</summary>
    public Column this[string name] =>
        GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(name), $"Column '{name}' not found");

    public Column? GetColumnOrNull(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _visibleByName.TryGetValue(name, out var index) ? _columns[index] : null;
    }

    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() =>
        string.Join(", ", _columns.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}"));

    /// <summary>One column of a schema.</summary>
    public readonly struct Column
    {
        internal Column(string name, int index, bool isHidden, DataViewType type, Annotations annotations)
        {
            Name = name;
            Index = index;
            IsHidden = isHidden;
            Type = type;
            Annotations = annotations;
        }

        public string Name { get; }
        public int Index { get; }
        public bool IsHidden { get; }
        public DataViewType Type { get; }
        public Annotations Annotations { get; }

        public override string ToString() => $"{Name} ({Index}): {Type}{(IsHidden ? " (hidden)" : "")}";
    }

    /// <summary>A column description that belongs to no schema yet.</summary>
    public readonly struct DetachedColumn
    {
        public DetachedColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            Name = name;
            Type = type ?? throw new ArgumentNullException(nameof(type));
            Annotations = annotations ?? Annotations.Empty;
        }

        public DetachedColumn(Column column) : this(column.Name, column.Type, column.Annotations) { }

        public string Name { get; }
        public DataViewType Type { get; }
        public Annotations Annotations { get; }
    }

    /// <summary>Builds a schema column by column.</summary>
    public sealed class Builder
    {
        private readonly List<(string Name, DataViewType Type, Annotations? Annotations)> _columns = new();

        public void AddColumn(string name, DataViewType type, Annotations? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(type);
            _columns.Add((name, type, annotations));
        }

        public void AddColumns(IEnumerable<Column> columns)
        {
            foreach (var c in columns) AddColumn(c.Name, c.Type, c.Annotations);
        }

        public void AddColumns(IEnumerable<DetachedColumn> columns)
        {
            foreach (var c in columns) AddColumn(c.Name, c.Type, c.Annotations);
        }

        public DataViewSchema ToSchema() => new(_columns);
    }

    /// <summary>Metadata attached to a column (e.g. <c>SlotNames</c>, <c>KeyValues</c>): a one-row set of named values.</summary>
    public sealed class Annotations
    {
        private readonly Delegate[] _getters;

        internal Annotations(DataViewSchema schema, Delegate[] getters)
        {
            Schema = schema;
            _getters = getters;
        }

        public static Annotations Empty { get; } = new(DataViewSchema.Empty, Array.Empty<Delegate>());

        /// <summary>The annotation kinds and their types.</summary>
        public DataViewSchema Schema { get; }

        public ValueGetter<TValue> GetGetter<TValue>(Column column)
        {
            if ((uint)column.Index >= (uint)_getters.Length || Schema[column.Index].Name != column.Name)
                throw new ArgumentOutOfRangeException(nameof(column), $"Annotation '{column.Name}' not found");
            return _getters[column.Index] as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Invalid TValue in GetGetter for annotation '{column.Name}': '{typeof(TValue)}', expected type: '{column.Type.RawType}'.");
        }

        /// <summary>Reads the annotation <paramref name="kind"/>; throws when it is missing.</summary>
        public void GetValue<TValue>(string kind, ref TValue value)
        {
            var column = Schema.GetColumnOrNull(kind) ?? throw new InvalidOperationException($"Annotation '{kind}' not found");
            GetGetter<TValue>(column)(ref value);
        }

        public override string ToString() => Schema.ToString();

        /// <summary>Builds annotations kind by kind.</summary>
        public sealed class Builder
        {
            private readonly List<(string Kind, DataViewType Type, Delegate Getter)> _items = new();

            public void Add<TValue>(string kind, DataViewType type, ValueGetter<TValue> getter)
            {
                ArgumentException.ThrowIfNullOrEmpty(kind);
                ArgumentNullException.ThrowIfNull(type);
                ArgumentNullException.ThrowIfNull(getter);
                if (type.RawType != typeof(TValue))
                    throw new ArgumentException($"Annotation '{kind}' of type {type} needs values of {type.RawType.Name}, not {typeof(TValue).Name}.", nameof(getter));
                _items.RemoveAll(i => i.Kind == kind);
                _items.Add((kind, type, getter));
            }

            /// <summary>Adds the names of a vector's slots.</summary>
            public void AddSlotNames(int size, ValueGetter<VBuffer<ReadOnlyMemory<char>>> getter) =>
                Add(AnnotationUtils.Kinds.SlotNames, new VectorDataViewType(TextDataViewType.Instance, size), getter);

            /// <summary>Adds the values a key column's keys stand for (key k is item k-1).</summary>
            public void AddKeyValues<TValue>(int size, PrimitiveDataViewType valueType, ValueGetter<VBuffer<TValue>> getter) =>
                Add(AnnotationUtils.Kinds.KeyValues, new VectorDataViewType(valueType, size), getter);

            /// <summary>Copies every annotation of <paramref name="annotations"/>.</summary>
            public void Add(Annotations annotations, Func<string, bool>? selector = null)
            {
                foreach (var column in annotations.Schema)
                {
                    if (selector != null && !selector(column.Name)) continue;
                    _items.RemoveAll(i => i.Kind == column.Name);
                    _items.Add((column.Name, column.Type, annotations._getters[column.Index]));
                }
            }

            public Annotations ToAnnotations()
            {
                var schema = new DataViewSchema(_items.Select(i => (i.Kind, i.Type, (Annotations?)null)));
                return new Annotations(schema, _items.Select(i => i.Getter).ToArray());
            }
        }
    }
}
