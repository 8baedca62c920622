using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.MLNet;

/// <summary>
/// Builds <see cref="SchemaShape"/> columns for <see cref="IEstimator{TTransformer}.GetOutputSchema"/>. ML.NET keeps
/// SchemaShape.Column's constructor and SchemaShape.Create internal, so a default column's public readonly fields are
/// filled in place (it is a plain struct of four fields).
/// </summary>
internal static class SchemaShapes
{
    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType, bool isKey, SchemaShape? annotations = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(itemType);
        var column = default(SchemaShape.Column);
        Unsafe.AsRef(in column.Name) = name;
        Unsafe.AsRef(in column.Kind) = kind;
        Unsafe.AsRef(in column.ItemType) = itemType;
        Unsafe.AsRef(in column.IsKey) = isKey;
        Unsafe.AsRef(in column.Annotations) = annotations ?? new SchemaShape(Array.Empty<SchemaShape.Column>());
        return column;
    }

    /// <summary>The shape of a schema column (as ML.NET's SchemaShape.Create gives it), annotations included.</summary>
    public static SchemaShape.Column FromSchemaColumn(DataViewSchema.Column column)
    {
        var annotations = new SchemaShape(column.Annotations.Schema.Select(a => FromType(a.Name, a.Type)));
        return FromType(column.Name, column.Type, annotations);
    }

    public static SchemaShape.Column FromType(string name, DataViewType type, SchemaShape? annotations = null)
    {
        var kind = type is VectorDataViewType v ? (v.IsKnownSize ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.VariableVector) : SchemaShape.Column.VectorKind.Scalar;
        var item = type is VectorDataViewType vector ? vector.ItemType : type;
        var isKey = item is KeyDataViewType;
        if (item is KeyDataViewType key) item = ColumnTypeOfKey(key);
        return Column(name, kind, item, isKey, annotations);
    }

    /// <summary>The shape of <paramref name="schema"/> (hidden columns dropped, as ML.NET does).</summary>
    public static SchemaShape FromSchema(DataViewSchema schema) =>
        new(schema.Where(c => !c.IsHidden).Select(FromSchemaColumn));

    /// <summary>A copy of <paramref name="shape"/> with <paramref name="columns"/> added, replacing columns of the same name.</summary>
    public static SchemaShape With(this SchemaShape shape, params SchemaShape.Column[] columns)
    {
        var names = columns.Select(c => c.Name).ToHashSet();
        return new SchemaShape(shape.Where(c => !names.Contains(c.Name)).Concat(columns));
    }

    public static bool TryFindColumn(this SchemaShape shape, string name, out SchemaShape.Column column)
    {
        foreach (var c in shape)
            if (c.Name == name)
            {
                column = c;
                return true;
            }
        column = default;
        return false;
    }

    /// <summary>A readable type for messages: <c>Vector&lt;Single&gt;</c>, <c>Key&lt;UInt32&gt;</c>, ...</summary>
    public static string TypeString(this SchemaShape.Column column)
    {
        var item = column.IsKey ? $"Key<{column.ItemType.RawType.Name}>" : column.ItemType.ToString();
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Vector => $"Vector<{item}>",
            SchemaShape.Column.VectorKind.VariableVector => $"VarVector<{item}>",
            _ => item!,
        };
    }

    // ML.NET describes a key column's shape by its raw type (UInt32 for Key<UInt32>).
    private static DataViewType ColumnTypeOfKey(KeyDataViewType key) => key.RawType == typeof(uint) ? NumberDataViewType.UInt32
        : key.RawType == typeof(ulong) ? NumberDataViewType.UInt64 : key.RawType == typeof(ushort) ? NumberDataViewType.UInt16 : NumberDataViewType.Byte;
}
