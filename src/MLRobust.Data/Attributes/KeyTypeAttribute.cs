namespace MLRobust.ML.Data;

/// <summary>Makes an unsigned integer member a key column with <see cref="Count"/> categories (1..Count, 0 = missing).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class KeyTypeAttribute : Attribute
{
    public KeyTypeAttribute(ulong count) =>
        Count = count > 0 ? count : throw new ArgumentOutOfRangeException(nameof(count), "A key type needs at least one value.");

    public ulong Count { get; }
}
