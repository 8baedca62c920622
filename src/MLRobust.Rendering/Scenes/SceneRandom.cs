namespace MLRobust.Rendering.Scenes;

/// <summary>
/// A small, fast, portable random stream (xoshiro256** seeded by SplitMix64). Unlike
/// <see cref="System.Random"/> its sequence is fixed by this code, so a seed gives the same scene on
/// every machine and .NET version. A value type: copy it to fork a stream.
/// </summary>
public struct SceneRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public SceneRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>The stream of row <paramref name="row"/> of a dataset seeded with <paramref name="seed"/>:
    /// rows get unrelated streams, and a row's stream does not depend on any other row.</summary>
    public static SceneRandom ForRow(long seed, long row) => new(Mix(Mix((ulong)seed ^ 0x6A09E667F3BCC909UL) + (ulong)row));

    /// <summary>A well-mixed 64-bit hash of <paramref name="value"/> (the SplitMix64 finaliser).</summary>
    public static ulong Mix(ulong value)
    {
        ulong z = value + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        ulong z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        // Multiply-shift on the top 32 bits: bias below 2^-32 per value, irrelevant for scene sampling.
        return (int)(((NextUInt64() >> 32) * (ulong)count) >> 32);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
