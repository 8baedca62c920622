namespace MLRobust.ML.Data;

/// <summary>The signed and unsigned integer types and the two floating-point types.</summary>
public sealed class NumberDataViewType : PrimitiveDataViewType
{
    private readonly string _name;

    private NumberDataViewType(Type rawType, string name) : base(rawType) => _name = name;

    public static NumberDataViewType SByte { get; } = new(typeof(sbyte), "SByte");
    public static NumberDataViewType Byte { get; } = new(typeof(byte), "Byte");
    public static NumberDataViewType Int16 { get; } = new(typeof(short), "Int16");
    public static NumberDataViewType UInt16 { get; } = new(typeof(ushort), "UInt16");
    public static NumberDataViewType Int32 { get; } = new(typeof(int), "Int32");
    public static NumberDataViewType UInt32 { get; } = new(typeof(uint), "UInt32");
    public static NumberDataViewType Int64 { get; } = new(typeof(long), "Int64");
    public static NumberDataViewType UInt64 { get; } = new(typeof(ulong), "UInt64");
    public static NumberDataViewType Single { get; } = new(typeof(float), "Single");
    public static NumberDataViewType Double { get; } = new(typeof(double), "Double");

    /// <summary>The number type whose raw type is <paramref name="type"/>, or null.</summary>
    public static NumberDataViewType? FromRawType(Type type) =>
        type == typeof(float) ? Single :
        type == typeof(double) ? Double :
        type == typeof(int) ? Int32 :
        type == typeof(long) ? Int64 :
        type == typeof(uint) ? UInt32 :
        type == typeof(ulong) ? UInt64 :
        type == typeof(byte) ? Byte :
        type == typeof(sbyte) ? SByte :
        type == typeof(short) ? Int16 :
        type == typeof(ushort) ? UInt16 : null;

    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => RawType.GetHashCode();

    public override string ToString() => _name;
}
