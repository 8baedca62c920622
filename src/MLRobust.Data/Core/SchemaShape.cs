using System.Collections;
using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>
/// What an estimator knows about a schema before seeing data: column names, scalar/vector kinds, item types,
/// key-ness and annotation kinds, but not vector sizes or key counts. Unlike ML.NET (issue #3243), the
/// constructors are public so that estimators in other assemblies can describe their output columns.
/// </summary>
public sealed class SchemaShape : IReadOnlyList<SchemaShape.Column>
{
    private readonly Column[] _columns;

    public SchemaShape(IEnumerable<Column> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = columns.ToArray();
        if (_columns.Any(c => !c.IsValid)) throw new ArgumentException("Schema shape columns need names.", nameof(columns));
    }

    public static SchemaShape Empty { get; } = new(Array.Empty<Column>());

    public int Count => _columns.Length;

    public Column this[int index] => _columns[index];

    /// <summary>Finds the last column of that name.</summary>
    public bool TryFindColumn(string name, out Column column)
    {
        for (var i = _columns.Length - 1; i >= 0; i--)
        {
            if (_columns[i].Name == name)
            {
                column = _columns[i];
                return true;
            }
        }
        column = default;
        return false;
    }

    public IEnumerator<Column> GetEnumerator() => ((IEnumerable<Column>)_columns).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The shape of a concrete schema (visible columns only).</summary>
    public static SchemaShape Create(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return new SchemaShape(schema.Where(c => !c.IsHidden).Select(c => Column.FromSchemaColumn(c)));
    }

    /// <summary>The shape after adding or replacing <paramref name="columns"/>.</summary>
    public SchemaShape With(params Column[] columns)
    {
        var result = _columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var order = _columns.Select(c => c.Name).ToList();
        foreach (var c in columns)
        {
            if (!result.ContainsKey(c.Name)) order.Add(c.Name);
            result[c.Name] = c;
        }
        return new SchemaShape(order.Select(n => result[n]));
    }

    public override string ToString() => string.Join(", ", _columns.Select(c => $"{c.Name}: {c.GetTypeString()}"));

    /// <summary>One column of a <see cref="SchemaShape"/>.</summary>
    public readonly struct Column
    {
        public enum VectorKind
        {
            Scalar,
            Vector,
            VariableVector,
        }

        public readonly string Name;
        public readonly VectorKind Kind;

        /// <summary>The item type; for key columns the underlying number type.</summary>
        public readonly DataViewType ItemType;

        public readonly bool IsKey;

        /// <summary>The annotation kinds the column carries.</summary>
        public readonly SchemaShape Annotations;

        public Column(string name, VectorKind vecKind, DataViewType itemType, bool isKey, SchemaShape? annotations = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(name);
            ArgumentNullException.ThrowIfNull(itemType);
            if (itemType is KeyDataViewType key) itemType = NumberDataViewType.FromRawType(key.RawType)!;
            if (itemType is VectorDataViewType) throw new ArgumentException("A schema shape's item type can't be a vector.", nameof(itemType));
            Name = name;
            Kind = vecKind;
            ItemType = itemType;
            IsKey = isKey;
            Annotations = annotations ?? Empty;
        }

        public bool IsValid => Name is not null;

        /// <summary>Whether a column of shape <paramref name="source"/> can be used where this one is expected:
        /// same kind (a vector accepts a variable vector and vice versa), item type and key-ness, and the
        /// annotations this one lists.</summary>
        public bool IsCompatibleWith(Column source)
        {
            if (Name != source.Name) return false;
            var kindOk = Kind == source.Kind || (Kind != VectorKind.Scalar && source.Kind != VectorKind.Scalar);
            if (!kindOk || !ItemType.Equals(source.ItemType) || IsKey != source.IsKey) return false;
            foreach (var a in Annotations)
            {
                if (!source.Annotations.TryFindColumn(a.Name, out var other) || !a.IsCompatibleWith(other)) return false;
            }
            return true;
        }

        /// <summary>The type as error messages show it: <c>Single</c>, <c>Key&lt;UInt32&gt;</c>, <c>Vector&lt;Single&gt;</c>, <c>VarVector&lt;Byte&gt;</c>.</summary>
        public string GetTypeString()
        {
            var result = ItemType.ToString()!;
            if (IsKey) result = $"Key<{result}>";
            return Kind switch
            {
                VectorKind.Vector => $"Vector<{result}>",
                VectorKind.VariableVector => $"VarVector<{result}>",
                _ => result,
            };
        }

        public override string ToString() => $"{Name}: {GetTypeString()}";

        /// <summary>The shape of a concrete column.</summary>
        public static Column FromSchemaColumn(DataViewSchema.Column column)
        {
            var type = column.Type;
            var kind = type is VectorDataViewType v ? (v.IsKnownSize ? VectorKind.Vector : VectorKind.VariableVector) : VectorKind.Scalar;
            var item = type.GetItemType();
            var annotations = new SchemaShape(column.Annotations.Schema.Select(a =>
                new Column(a.Name, a.Type is VectorDataViewType av ? (av.IsKnownSize ? VectorKind.Vector : VectorKind.VariableVector) : VectorKind.Scalar,
                    a.Type.GetItemType(), a.Type.GetItemType() is KeyDataViewType)));
            return new Column(column.Name, kind, item, item is KeyDataViewType, annotations);
        }

        /// <summary>The shape of a column of a concrete type.</summary>
        public static Column FromType(string name, DataViewType type, SchemaShape? annotations = null)
        {
            var kind = type is VectorDataViewType v ? (v.IsKnownSize ? VectorKind.Vector : VectorKind.VariableVector) : VectorKind.Scalar;
            var item = type.GetItemType();
            return new Column(name, kind, item, item is KeyDataViewType, annotations);
        }
    }
}
