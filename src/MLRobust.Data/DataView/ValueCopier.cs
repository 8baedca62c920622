namespace MLRobust.ML.Data;

/// <summary>Copies column values so they outlive the cursor buffer they came from: vectors get fresh arrays,
/// everything else (numbers, text memory, immutable images) is kept as is.</summary>
internal static class ValueCopier
{
    internal static Func<T, T> For<T>()
    {
        var type = typeof(T);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(VBuffer<>))
        {
            var method = typeof(ValueCopier).GetMethod(nameof(CopyVector), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(type.GetGenericArguments()[0]);
            return (Func<T, T>)method.CreateDelegate(typeof(Func<T, T>));
        }
        return static v => v;
    }

    private static VBuffer<TItem> CopyVector<TItem>(VBuffer<TItem> source)
    {
        var copy = default(VBuffer<TItem>);
        source.CopyTo(ref copy);
        return copy;
    }
}
