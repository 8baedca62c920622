namespace MLRobust.ML.Data;

/// <summary>Helpers over the type family.</summary>
public static class DataViewTypeExtensions
{
    /// <summary>The vector's item type, or the type itself for a non-vector.</summary>
    public static DataViewType GetItemType(this DataViewType type) => type is VectorDataViewType v ? v.ItemType : type;

    /// <summary>The number of items a value holds: 1 for scalars, the vector size (0 = variable) for vectors.</summary>
    public static int GetValueCount(this DataViewType type) => type is VectorDataViewType v ? v.Size : 1;

    /// <summary>The key count of a key type or of a vector of keys, else 0.</summary>
    public static ulong GetKeyCount(this DataViewType type) => type.GetItemType() is KeyDataViewType k ? k.Count : 0;
}
