using MLRobust.Attacks;

namespace MLRobust.Robustness;

/// <summary>Options of <see cref="EpsilonSweep"/>: the ε grid and how the attacks run over it.</summary>
public sealed class EpsilonSweepOptions
{
    /// <summary>The default grid in [0, 1] units (fractions of the range width): 0, 1, 2, 4, 8 and 16 grey levels, then
    /// 0.1 to 0.3 in steps of 0.05 (PAPERS.md §4: accuracy from ε = 0 to 0.3).</summary>
    public static IReadOnlyList<double> DefaultEpsilons { get; } =
        new[] { 0, 1 / 255.0, 2 / 255.0, 4 / 255.0, 8 / 255.0, 16 / 255.0, 0.1, 0.15, 0.2, 0.25, 0.3 };

    /// <summary>The grid in [0, 1] units: fractions of the input range's width (so 8/255 is 8 grey levels on [0, 1] and on
    /// [0, 255] alike). Null, with <see cref="EpsilonGreyLevels"/> null too: <see cref="DefaultEpsilons"/>. Set at most one
    /// of the two.</summary>
    public double[]? Epsilons;

    /// <summary>The grid in grey levels (1/255 of the range width each), as the papers on [0, 255] images give it.</summary>
    public double[]? EpsilonGreyLevels;

    /// <summary>Images per attack run (and per clean forward pass); default 256. Results do not depend on it: each row
    /// draws from its own random stream, named by its row number.</summary>
    public int BatchSize = 256;

    /// <summary>When set, replaces the seed of every attack's options.</summary>
    public int? Seed;

    /// <summary>When set, replaces the precision of every attack's options (<see cref="AttackPrecision.GreyLevels8"/>:
    /// measure the images as 8-bit files would hold them).</summary>
    public AttackPrecision? Precision;

    /// <summary>The images' value range; null: the model's declared range, else [0, 1]. Attack options that name another
    /// range are refused.</summary>
    public InputRange? Range;

    /// <summary>Keep the per-sample records (<see cref="EpsilonCurve.Samples"/>); default true. Turn off for very large
    /// sets: the records take rows × grid entries.</summary>
    public bool KeepSamples = true;

    /// <summary>The grid as (ε in [0, 1] units, ε in grey levels), in the given order; throws naming the option.</summary>
    internal (double Unit, double GreyLevels)[] Grid()
    {
        if (Epsilons is not null && EpsilonGreyLevels is not null)
            throw new ArgumentException($"Set either {nameof(Epsilons)} ([0, 1] units) or {nameof(EpsilonGreyLevels)}, not both.", nameof(Epsilons));
        if (EpsilonGreyLevels is { } levels)
        {
            Check(levels, nameof(EpsilonGreyLevels));
            return levels.Select(g => (g / 255.0, g)).ToArray();
        }
        var units = Epsilons ?? DefaultEpsilons.ToArray();
        Check(units, nameof(Epsilons));
        return units.Select(e => (e, e * 255.0)).ToArray();
    }

    /// <summary>A copy the evaluation may fill in without touching the caller's options.</summary>
    internal EpsilonSweepOptions Copy() => (EpsilonSweepOptions)MemberwiseClone();

    internal void Validate()
    {
        Grid();
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{nameof(BatchSize)} must be at least 1.");
        if (Precision is { } p && !Enum.IsDefined(p)) throw new ArgumentOutOfRangeException(nameof(Precision), p, "Unknown precision.");
        if (Range is { } r && !(r.Max > r.Min)) throw new ArgumentOutOfRangeException(nameof(Range), r, "The input range needs Max > Min.");
    }

    private static void Check(double[] grid, string name)
    {
        if (grid.Length == 0) throw new ArgumentException($"{name} is empty: give at least one ε.", name);
        foreach (var e in grid)
            if (!double.IsFinite(e) || e < 0)
                throw new ArgumentOutOfRangeException(name, e, $"{name} holds {e}; every ε must be a finite number, zero or positive.");
        if (grid.Distinct().Count() != grid.Length)
            throw new ArgumentException($"{name} holds the same ε twice.", name);
    }
}
