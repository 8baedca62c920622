using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Attacks.Transforms;

/// <summary>Reads class indices (0-based) from a key column (key k is class k − 1) or a numeric column of class
/// indices.</summary>
internal static class ClassColumn
{
    internal const string Expected = "Key or a numeric column of class indices";

    internal static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
    {
        var column = SchemaMismatchException.FindColumn(schema, name, role);
        if (!IsClassType(column.Type)) throw new SchemaMismatchException("inputSchema", role, name, Expected, column.Type.ToString()!);
        return column;
    }

    internal static void Check(SchemaShape shape, string name, string role)
    {
        var column = SchemaMismatchException.FindColumn(shape, name, role);
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not NumberDataViewType)
            throw new SchemaMismatchException("inputSchema", role, name, Expected, column.TypeString());
    }

    private static bool IsClassType(DataViewType type) => type is KeyDataViewType || type is NumberDataViewType;

    /// <summary>The class of buffered row <paramref name="row"/>; throws for a missing key or a value that is not a class index.</summary>
    internal static long Read(BufferedRows rows, DataViewSchema.Column column, int row, long position, int classCount)
    {
        var type = column.Type;
        long value;
        if (type is KeyDataViewType)
        {
            ulong key = type.RawType == typeof(uint) ? rows.Get<uint>(column, row)
                : type.RawType == typeof(ulong) ? rows.Get<ulong>(column, row)
                : type.RawType == typeof(ushort) ? rows.Get<ushort>(column, row)
                : rows.Get<byte>(column, row);
            if (key == 0) throw new InvalidOperationException($"Column '{column.Name}', row {position}: the key is missing (0), so the row has no class to attack from.");
            value = (long)(key - 1);
        }
        else
        {
            double number = type.RawType switch
            {
                var t when t == typeof(float) => rows.Get<float>(column, row),
                var t when t == typeof(double) => rows.Get<double>(column, row),
                var t when t == typeof(int) => rows.Get<int>(column, row),
                var t when t == typeof(uint) => rows.Get<uint>(column, row),
                var t when t == typeof(long) => rows.Get<long>(column, row),
                var t when t == typeof(ulong) => rows.Get<ulong>(column, row),
                var t when t == typeof(short) => rows.Get<short>(column, row),
                var t when t == typeof(ushort) => rows.Get<ushort>(column, row),
                var t when t == typeof(byte) => rows.Get<byte>(column, row),
                var t when t == typeof(sbyte) => rows.Get<sbyte>(column, row),
                _ => throw new InvalidOperationException($"Column '{column.Name}' has type {type}, which holds no class index."),
            };
            if (number != Math.Floor(number) || double.IsNaN(number))
                throw new InvalidOperationException($"Column '{column.Name}', row {position}: {number} is not a class index.");
            value = (long)number;
        }
        if (value < 0 || value >= classCount)
            throw new InvalidOperationException($"Column '{column.Name}', row {position}: class {value} is outside the model's {classCount} classes (0 to {classCount - 1}).");
        return value;
    }
}
