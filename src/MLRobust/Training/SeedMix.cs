namespace MLRobust.Training;

/// <summary>Derives independent, repeatable seeds from a run seed and a few coordinates (SplitMix64 finaliser).</summary>
public static class SeedMix
{
    public static int Mix(int seed, params long[] coordinates)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL);
        foreach (var c in coordinates) x = Finalise(x ^ unchecked((ulong)c + 0x632BE59BD9B4E019UL));
        return (int)(Finalise(x) & 0x7FFFFFFF);
    }

    private static ulong Finalise(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>A permutation of 0..n-1 (Fisher–Yates) from a seeded <see cref="Random"/>.</summary>
    public static int[] Permutation(int n, Random random)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
