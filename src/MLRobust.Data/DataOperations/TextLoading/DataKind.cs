namespace MLRobust.ML.Data;

/// <summary>The value kinds a text file's columns can be read as (ML.NET's numbering).</summary>
public enum DataKind : byte
{
    SByte = 1,
    Byte = 2,
    Int16 = 3,
    UInt16 = 4,
    Int32 = 5,
    UInt32 = 6,
    Int64 = 7,
    UInt64 = 8,
    Single = 9,
    Double = 10,
    String = 11,
    Boolean = 12,
}

/// <summary>Maps <see cref="DataKind"/> to column types.</summary>
public static class DataKindExtensions
{
    public static PrimitiveDataViewType ToDataViewType(this DataKind kind) => kind switch
    {
        DataKind.SByte => NumberDataViewType.SByte,
        DataKind.Byte => NumberDataViewType.Byte,
        DataKind.Int16 => NumberDataViewType.Int16,
        DataKind.UInt16 => NumberDataViewType.UInt16,
        DataKind.Int32 => NumberDataViewType.Int32,
        DataKind.UInt32 => NumberDataViewType.UInt32,
        DataKind.Int64 => NumberDataViewType.Int64,
        DataKind.UInt64 => NumberDataViewType.UInt64,
        DataKind.Single => NumberDataViewType.Single,
        DataKind.Double => NumberDataViewType.Double,
        DataKind.String => TextDataViewType.Instance,
        DataKind.Boolean => BooleanDataViewType.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown data kind."),
    };

    public static DataKind FromRawType(Type raw) =>
        raw == typeof(ReadOnlyMemory<char>) || raw == typeof(string) ? DataKind.String
        : raw == typeof(bool) ? DataKind.Boolean
        : raw == typeof(float) ? DataKind.Single
        : raw == typeof(double) ? DataKind.Double
        : raw == typeof(int) ? DataKind.Int32
        : raw == typeof(uint) ? DataKind.UInt32
        : raw == typeof(long) ? DataKind.Int64
        : raw == typeof(ulong) ? DataKind.UInt64
        : raw == typeof(short) ? DataKind.Int16
        : raw == typeof(ushort) ? DataKind.UInt16
        : raw == typeof(byte) ? DataKind.Byte
        : raw == typeof(sbyte) ? DataKind.SByte
        : throw new ArgumentOutOfRangeException(nameof(raw), $"{raw.Name} can't be read from text.");
}
