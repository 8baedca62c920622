namespace MLRobust.Attacks;

/// <summary>
/// A random stream per sample, seeded by (attack seed, sample id): what a sample draws does not depend on
/// which other samples share its batch, so batch 1 and batch 64 give the same attack. xoshiro256** seeded
/// through SplitMix64.
/// </summary>
internal sealed class SampleRandom
{
    private ulong _s0, _s1, _s2, _s3;

    internal SampleRandom(long seed, long sampleId)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)sampleId * 0xD1B54A32D192ED03UL ^ 0x5851F42D4C957F2DUL);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        var z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    internal ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>Uniform in [0, 1).</summary>
    internal double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    internal int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        return (int)((NextUInt64() >> 33) % (ulong)n);
    }

    /// <summary>Standard normal (Box-Muller).</summary>
    internal double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fills <paramref name="values"/> uniformly in [low, high).</summary>
    internal void Uniform(Span<float> values, double low, double high)
    {
        for (var i = 0; i < values.Length; i++) values[i] = (float)(low + (high - low) * NextDouble());
    }

    internal void Gaussian(Span<float> values)
    {
        for (var i = 0; i < values.Length; i++) values[i] = (float)NextGaussian();
    }
}
