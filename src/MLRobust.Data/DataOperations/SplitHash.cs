using System.Globalization;
using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>Maps rows to [0, 1) for train/test splits: by a seeded hash of the sampling-key value (equal keys land
/// on the same side), or of the row's position when there is no key.</summary>
internal static class SplitHash
{
    internal static double OfPosition(int seed, long position) => ToUnit(Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)position));

    internal static double OfText(int seed, ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL ^ (ulong)(uint)seed;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return ToUnit(Mix(hash));
    }

    /// <summary>A function returning the current row's split value from the key column's getter.</summary>
    internal static Func<double> ForKeyColumn(DataViewRow row, DataViewSchema.Column column, int seed)
    {
        var raw = column.Type.RawType;
        if (column.Type is VectorDataViewType or ImageDataViewType)
            throw new SchemaMismatchException("samplingKeyColumnName", "sampling key", column.Name, "a scalar column (text, number, key or boolean)", column.Type.ToString()!);
        if (raw == typeof(ReadOnlyMemory<char>))
        {
            var getter = row.GetGetter<ReadOnlyMemory<char>>(column);
            return () =>
            {
                ReadOnlyMemory<char> value = default;
                getter(ref value);
                return OfText(seed, value.Span);
            };
        }
        var method = typeof(SplitHash).GetMethod(nameof(ForValue), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(raw);
        return (Func<double>)method.Invoke(null, new object[] { row, column, seed })!;
    }

    private static Func<double> ForValue<T>(DataViewRow row, DataViewSchema.Column column, int seed)
    {
        var getter = row.GetGetter<T>(column);
        return () =>
        {
            T value = default!;
            getter(ref value);
            return OfText(seed, Convert.ToString(value, CultureInfo.InvariantCulture));
        };
    }

    // SplitMix64's finaliser: every input bit affects every output bit.
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static double ToUnit(ulong z) => (z >> 11) * (1.0 / (1UL << 53));
}
