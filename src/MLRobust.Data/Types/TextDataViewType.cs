namespace MLRobust.ML.Data;

/// <summary>Text; values are <see cref="ReadOnlyMemory{T}"/> of char.</summary>
public sealed class TextDataViewType : PrimitiveDataViewType
{
    private TextDataViewType() : base(typeof(ReadOnlyMemory<char>)) { }

    public static TextDataViewType Instance { get; } = new();

    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => RawType.GetHashCode();

    public override string ToString() => "String";
}
