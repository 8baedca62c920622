namespace MLRobust.ML.Data;

/// <summary>The type of a data view column: which .NET type its values have (<see cref="RawType"/>) and what they mean.</summary>
public abstract class DataViewType : IEquatable<DataViewType>
{
    private protected DataViewType(Type rawType) => RawType = rawType ?? throw new ArgumentNullException(nameof(rawType));

    /// <summary>The .NET type of the values a getter of this column returns.</summary>
    public Type RawType { get; }

    public abstract bool Equals(DataViewType? other);

    public override bool Equals(object? other) => other is DataViewType type && Equals(type);

    public override int GetHashCode() => RawType.GetHashCode();

    public static bool operator ==(DataViewType? a, DataViewType? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(DataViewType? a, DataViewType? b) => !(a == b);
}

/// <summary>Types of single values that have no structure: numbers, text, booleans, keys.</summary>
public abstract class PrimitiveDataViewType : DataViewType
{
    private protected PrimitiveDataViewType(Type rawType) : base(rawType) { }
}

/// <summary>Types whose values have structure: vectors and images.</summary>
public abstract class StructuredDataViewType : DataViewType
{
    private protected StructuredDataViewType(Type rawType) : base(rawType) { }
}
