namespace MLRobust.ML.Data;

/// <summary>True or false; values are <see cref="bool"/>.</summary>
public sealed class BooleanDataViewType : PrimitiveDataViewType
{
    private BooleanDataViewType() : base(typeof(bool)) { }

    public static BooleanDataViewType Instance { get; } = new();

    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => RawType.GetHashCode();

    public override string ToString() => "Boolean";
}
