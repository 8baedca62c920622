using System.Collections.Immutable;

namespace MLRobust.ML.Data;

/// <summary>A vector of <see cref="ItemType"/> values, with known dimensions or variable length (size 0).
/// Values are <see cref="VBuffer{T}"/>; multi-dimensional vectors are flattened row-major.</summary>
public sealed class VectorDataViewType : StructuredDataViewType
{
    public VectorDataViewType(PrimitiveDataViewType itemType, int size = 0)
        : this(itemType, size == 0 ? ImmutableArray<int>.Empty : ImmutableArray.Create(size)) { }

    public VectorDataViewType(PrimitiveDataViewType itemType, params int[] dimensions)
        : this(itemType, dimensions is null || dimensions.Length == 0 || (dimensions.Length == 1 && dimensions[0] == 0) ? ImmutableArray<int>.Empty : ImmutableArray.Create(dimensions)) { }

    public VectorDataViewType(PrimitiveDataViewType itemType, ImmutableArray<int> dimensions)
        : base(typeof(VBuffer<>).MakeGenericType((itemType ?? throw new ArgumentNullException(nameof(itemType))).RawType))
    {
        ItemType = itemType;
        Dimensions = dimensions.IsDefault ? ImmutableArray<int>.Empty : dimensions;
        long size = Dimensions.Length == 0 ? 0 : 1;
        foreach (var d in Dimensions)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(dimensions), "Vector dimensions can't be negative.");
            size *= d;
        }
        // A zero anywhere means the length varies (ML.NET allows an unknown first dimension only; so do we, loosely).
        if (Dimensions.Contains(0)) size = 0;
        if (size > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(dimensions), $"A vector of {size} items is too large.");
        Size = (int)size;
    }

    public PrimitiveDataViewType ItemType { get; }

    /// <summary>The dimensions, outermost first; empty for a variable-length vector.</summary>
    public ImmutableArray<int> Dimensions { get; }

    /// <summary>The number of items, or 0 when the length varies.</summary>
    public int Size { get; }

    public bool IsKnownSize => Size > 0;

    public override bool Equals(DataViewType? other) =>
        other is VectorDataViewType v && v.ItemType.Equals(ItemType) && v.Size == Size && (Size == 0 || v.Dimensions.SequenceEqual(Dimensions));

    public override int GetHashCode() => HashCode.Combine(ItemType, Size);

    public override string ToString() =>
        Size == 0 ? $"Vector<{ItemType}>" : $"Vector<{ItemType}, {string.Join(", ", Dimensions)}>";
}
