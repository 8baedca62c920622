using System.Linq.Expressions;
using System.Reflection;

namespace MLRobust.ML.Data;

/// <summary>Moves values between one POCO member and one column, converting string/ReadOnlyMemory&lt;char&gt;
/// and arrays/VBuffer, and checking vector sizes.</summary>
internal sealed class MemberBinding
{
    private readonly Func<object, object?>? _get;
    private readonly Action<object, object?>? _set;

    private MemberBinding(Type rowType, SchemaDefinition.Column column)
    {
        Member = PocoMembers.Find(rowType, column.MemberName);
        MemberType = PocoMembers.MemberType(Member);
        ColumnName = column.ColumnName;
        ColumnType = column.ColumnType;
        Annotations = column.Annotations;
        CheckConvertible(rowType);
        if (PocoMembers.CanRead(Member)) _get = CompileGetter(rowType, Member);
        if (PocoMembers.CanWrite(Member)) _set = CompileSetter(rowType, Member);
    }

    public MemberInfo Member { get; }
    public Type MemberType { get; }
    public string ColumnName { get; }
    public DataViewType ColumnType { get; }
    public DataViewSchema.Annotations? Annotations { get; }

    internal static MemberBinding[] For(Type rowType, SchemaDefinition definition) =>
        definition.Select(c => new MemberBinding(rowType, c)).ToArray();

    /// <summary>A getter for the column, reading the member of whatever <paramref name="currentRow"/> returns.</summary>
    public Delegate MakeGetter(Func<object> currentRow)
    {
        if (_get is null) throw new InvalidOperationException($"Member '{Member.Name}' can't be read.");
        var method = typeof(MemberBinding).GetMethod(nameof(MakeGetterCore), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(ColumnType.RawType);
        return (Delegate)method.Invoke(this, new object[] { currentRow })!;
    }

    /// <summary>An action that copies the column's current value from <paramref name="row"/> into a POCO's member.</summary>
    public Action<object> MakeFiller(DataViewRow row, DataViewSchema.Column column)
    {
        if (_set is null) throw new InvalidOperationException($"Member '{Member.Name}' can't be written.");
        var method = typeof(MemberBinding).GetMethod(nameof(MakeFillerCore), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(column.Type.RawType);
        return (Action<object>)method.Invoke(this, new object[] { row, column })!;
    }

    /// <summary>Whether a column of <paramref name="type"/> can fill this member.</summary>
    public bool Accepts(DataViewType type)
    {
        if (type.RawType != ColumnType.RawType) return false;
        if (ColumnType is VectorDataViewType mine && type is VectorDataViewType theirs)
            return !mine.IsKnownSize || !theirs.IsKnownSize || mine.Size == theirs.Size;
        return true;
    }

    private ValueGetter<TRaw> MakeGetterCore<TRaw>(Func<object> currentRow)
    {
        var get = _get!;
        var size = ColumnType is VectorDataViewType v ? v.Size : 0;
        var name = ColumnName;
        var columnType = ColumnType;
        object Read() => get(currentRow() ?? throw new InvalidOperationException("The current row object is null."))!;

        if (MemberType == typeof(TRaw) && !IsVBuffer(MemberType))
            return (ref TRaw dst) => dst = (TRaw)Read()!;
        if (MemberType == typeof(string))
            return (ValueGetter<TRaw>)(Delegate)new ValueGetter<ReadOnlyMemory<char>>((ref ReadOnlyMemory<char> dst) => dst = ((string?)Read() ?? "").AsMemory());
        var item = typeof(TRaw).GetGenericArguments()[0];
        var method = typeof(MemberBinding).GetMethod(nameof(VectorGetter), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(item);
        return (ValueGetter<TRaw>)method.Invoke(null, new object[] { (Func<object>)Read, MemberType, size, name, columnType })!;
    }

    private static ValueGetter<VBuffer<T>> VectorGetter<T>(Func<object> read, Type memberType, int size, string name, DataViewType columnType)
    {
        void CheckSize(int length)
        {
            if (size > 0 && length != size)
                throw new InvalidOperationException($"Column '{name}': the row's value has {length} items but the column type is {columnType}.");
        }
        if (memberType == typeof(VBuffer<T>))
        {
            return (ref VBuffer<T> dst) =>
            {
                var value = (VBuffer<T>)read();
                CheckSize(value.Length);
                value.CopyTo(ref dst);
            };
        }
        if (typeof(T) == typeof(ReadOnlyMemory<char>) && memberType == typeof(string[]))
        {
            return (ref VBuffer<T> dst) =>
            {
                var value = (string?[]?)read() ?? Array.Empty<string>();
                CheckSize(value.Length);
                var editor = VBufferEditor.Create(ref dst, value.Length);
                for (var i = 0; i < value.Length; i++) editor.Values[i] = (T)(object)(value[i] ?? "").AsMemory();
                dst = editor.Commit();
            };
        }
        return (ref VBuffer<T> dst) =>
        {
            var value = (T[]?)read() ?? Array.Empty<T>();
            CheckSize(value.Length);
            var editor = VBufferEditor.Create(ref dst, value.Length);
            value.CopyTo(editor.Values);
            dst = editor.Commit();
        };
    }

    private Action<object> MakeFillerCore<TRaw>(DataViewRow row, DataViewSchema.Column column)
    {
        var set = _set!;
        var getter = row.GetGetter<TRaw>(column);
        if (MemberType == typeof(TRaw) && !IsVBuffer(MemberType))
        {
            return target =>
            {
                TRaw value = default!;
                getter(ref value);
                set(target, value);
            };
        }
        if (MemberType == typeof(string))
        {
            var text = (ValueGetter<ReadOnlyMemory<char>>)(Delegate)getter;
            return target =>
            {
                ReadOnlyMemory<char> value = default;
                text(ref value);
                set(target, value.ToString());
            };
        }
        var item = typeof(TRaw).GetGenericArguments()[0];
        var method = typeof(MemberBinding).GetMethod(nameof(VectorFiller), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(item);
        return (Action<object>)method.Invoke(null, new object[] { getter, set, MemberType })!;
    }

    private static Action<object> VectorFiller<T>(ValueGetter<VBuffer<T>> getter, Action<object, object?> set, Type memberType)
    {
        var buffer = default(VBuffer<T>);
        if (memberType == typeof(VBuffer<T>))
        {
            return target =>
            {
                getter(ref buffer);
                var copy = default(VBuffer<T>);
                buffer.CopyTo(ref copy);
                set(target, copy);
            };
        }
        if (typeof(T) == typeof(ReadOnlyMemory<char>) && memberType == typeof(string[]))
        {
            return target =>
            {
                getter(ref buffer);
                set(target, buffer.DenseValues().Select(v => ((ReadOnlyMemory<char>)(object)v!).ToString()).ToArray());
            };
        }
        return target =>
        {
            getter(ref buffer);
            set(target, buffer.ToArray());
        };
    }

    private void CheckConvertible(Type rowType)
    {
        var raw = ColumnType.RawType;
        var ok = MemberType == raw
                 || (MemberType == typeof(string) && raw == typeof(ReadOnlyMemory<char>))
                 || (IsVBuffer(raw) && (MemberType.IsArray && (MemberType.GetElementType() == raw.GetGenericArguments()[0]
                     || (MemberType == typeof(string[]) && raw == typeof(VBuffer<ReadOnlyMemory<char>>)))));
        if (!ok)
            throw new InvalidOperationException($"Member {rowType.Name}.{Member.Name} of type {MemberType.Name} can't hold column '{ColumnName}' of type {ColumnType}.");
    }

    private static bool IsVBuffer(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(VBuffer<>);

    private static Func<object, object?> CompileGetter(Type rowType, MemberInfo member)
    {
        var instance = Expression.Parameter(typeof(object), "row");
        var access = Expression.MakeMemberAccess(Expression.Convert(instance, rowType), member);
        return Expression.Lambda<Func<object, object?>>(Expression.Convert(access, typeof(object)), instance).Compile();
    }

    private static Action<object, object?> CompileSetter(Type rowType, MemberInfo member)
    {
        var instance = Expression.Parameter(typeof(object), "row");
        var value = Expression.Parameter(typeof(object), "value");
        var memberType = PocoMembers.MemberType(member);
        var assign = Expression.Assign(Expression.MakeMemberAccess(Expression.Convert(instance, rowType), member), Expression.Convert(value, memberType));
        return Expression.Lambda<Action<object, object?>>(assign, instance, value).Compile();
    }
}
