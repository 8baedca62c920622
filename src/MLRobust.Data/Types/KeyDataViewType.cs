namespace MLRobust.ML.Data;

/// <summary>
/// A categorical value stored as an unsigned integer: 1 to <see cref="Count"/> name a category, 0 means missing.
/// The names usually come from the column's <c>KeyValues</c> annotation.
/// </summary>
public sealed class KeyDataViewType : PrimitiveDataViewType
{
    public KeyDataViewType(Type type, ulong count) : base(type)
    {
        if (type != typeof(byte) && type != typeof(ushort) && type != typeof(uint) && type != typeof(ulong))
            throw new ArgumentException($"A key type's raw type must be Byte, UInt16, UInt32 or UInt64, not {type.Name}.", nameof(type));
        if (count == 0) throw new ArgumentOutOfRangeException(nameof(count), "A key type needs at least one value.");
        if (count > MaxCount(type)) throw new ArgumentOutOfRangeException(nameof(count), $"{count} keys do not fit in {type.Name}.");
        Count = count;
    }

    public KeyDataViewType(Type type, int count) : this(type, count > 0 ? (ulong)count : throw new ArgumentOutOfRangeException(nameof(count), "A key type needs at least one value.")) { }

    /// <summary>The number of categories; keys are 1 to Count.</summary>
    public ulong Count { get; }

    public override bool Equals(DataViewType? other) => other is KeyDataViewType k && k.RawType == RawType && k.Count == Count;

    public override int GetHashCode() => HashCode.Combine(RawType, Count);

    public override string ToString() => $"Key<{NumberDataViewType.FromRawType(RawType)}, 0-{Count - 1}>";

    internal static ulong MaxCount(Type type) =>
        type == typeof(byte) ? byte.MaxValue : type == typeof(ushort) ? ushort.MaxValue : type == typeof(uint) ? uint.MaxValue : ulong.MaxValue;
}
