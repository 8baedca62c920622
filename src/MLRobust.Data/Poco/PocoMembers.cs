using System.Reflection;

namespace MLRobust.ML.Data;

/// <summary>Which members of a class are columns, and of what type.</summary>
internal static class PocoMembers
{
    internal static IEnumerable<MemberInfo> Of(Type type, SchemaDefinition.Direction direction)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance;
        var members = type.GetFields(flags).Cast<MemberInfo>().Concat(type.GetProperties(flags).Where(p => p.GetIndexParameters().Length == 0))
            .Where(m => m.GetCustomAttribute<NoColumnAttribute>() is null)
            .Where(m => !direction.HasFlag(SchemaDefinition.Direction.Read) || CanRead(m))
            .Where(m => !direction.HasFlag(SchemaDefinition.Direction.Write) || CanWrite(m))
            .OrderBy(m => m.MetadataToken);
        return members;
    }

    internal static Type MemberType(MemberInfo member) => member switch
    {
        FieldInfo f => f.FieldType,
        PropertyInfo p => p.PropertyType,
        _ => throw new ArgumentException($"{member.Name} is not a field or property."),
    };

    internal static bool CanRead(MemberInfo member) => member is FieldInfo || member is PropertyInfo { CanRead: true } p && p.GetMethod!.IsPublic;

    internal static bool CanWrite(MemberInfo member) => member is FieldInfo { IsInitOnly: false, IsLiteral: false } || member is PropertyInfo { CanWrite: true } p && p.SetMethod!.IsPublic;

    internal static MemberInfo Find(Type type, string name) =>
        (MemberInfo?)type.GetField(name, BindingFlags.Public | BindingFlags.Instance)
        ?? type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
        ?? throw new ArgumentOutOfRangeException(nameof(name), $"{type.Name} has no public field or property '{name}'.");

    /// <summary>The column type of a member from its .NET type and attributes.</summary>
    internal static DataViewType ColumnTypeOf(Type owner, MemberInfo member)
    {
        var memberType = MemberType(member);
        var vector = member.GetCustomAttribute<VectorTypeAttribute>();
        var key = member.GetCustomAttribute<KeyTypeAttribute>();
        var image = member.GetCustomAttribute<ImageTypeAttribute>();
        string Where() => $"{owner.Name}.{member.Name}";

        if (memberType == typeof(MLImage))
            return image is null ? new ImageDataViewType() : new ImageDataViewType(image.Height, image.Width);

        var itemRaw = ItemTypeOf(memberType, out var isVector);
        if (itemRaw is null)
            throw new InvalidOperationException($"Member {Where()} has type {memberType.Name}, which can't be a column; mark it [NoColumn].");
        PrimitiveDataViewType item;
        if (key != null)
        {
            if (itemRaw != typeof(byte) && itemRaw != typeof(ushort) && itemRaw != typeof(uint) && itemRaw != typeof(ulong))
                throw new InvalidOperationException($"Member {Where()} is marked [KeyType] but is {memberType.Name}; keys are Byte, UInt16, UInt32 or UInt64.");
            item = new KeyDataViewType(itemRaw, key.Count);
        }
        else
        {
            item = PrimitiveOf(itemRaw) ?? throw new InvalidOperationException($"Member {Where()} has type {memberType.Name}, which can't be a column; mark it [NoColumn].");
        }
        if (!isVector)
        {
            if (vector != null) throw new InvalidOperationException($"Member {Where()} is marked [VectorType] but is not an array or VBuffer.");
            return item;
        }
        return new VectorDataViewType(item, vector?.Dims ?? Array.Empty<int>());
    }

    internal static PrimitiveDataViewType? PrimitiveOf(Type raw) =>
        raw == typeof(ReadOnlyMemory<char>) || raw == typeof(string) ? TextDataViewType.Instance
        : raw == typeof(bool) ? BooleanDataViewType.Instance
        : NumberDataViewType.FromRawType(raw);

    /// <summary>The item type of a scalar, array or VBuffer member (string counts as text), or null.</summary>
    private static Type? ItemTypeOf(Type memberType, out bool isVector)
    {
        isVector = false;
        Type item = memberType;
        if (memberType.IsArray && memberType.GetArrayRank() == 1)
        {
            isVector = true;
            item = memberType.GetElementType()!;
        }
        else if (memberType.IsGenericType && memberType.GetGenericTypeDefinition() == typeof(VBuffer<>))
        {
            isVector = true;
            item = memberType.GetGenericArguments()[0];
        }
        return PrimitiveOf(item) is null ? null : item;
    }
}
