namespace MLRobust.Reporting;

/// <summary>Quantiles as NumPy's default (linear interpolation between order statistics) and the five-number summary of a
/// box plot (Tukey's whiskers).</summary>
public static class Percentiles
{
    /// <summary>The q-quantile of sorted values, interpolating linearly between order statistics; NaN when there are none.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>Five-number summary (whisker ends: the furthest values within 1.5 IQR of the quartiles) of the finite values;
    /// null when there are none.</summary>
    public static (double Low, double Q1, double Median, double Q3, double High)? Summary(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).OrderBy(x => x).ToArray();
        if (v.Length == 0) return null;
        double q1 = Quantile(v, 0.25), median = Quantile(v, 0.5), q3 = Quantile(v, 0.75), reach = 1.5 * (q3 - q1);
        return (v.First(x => x >= q1 - reach), q1, median, q3, v.Last(x => x <= q3 + reach));
    }
}
