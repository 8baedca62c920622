using System.Globalization;

namespace MLRobust.Reporting;

/// <summary>A linear (or log10) axis from data values to drawing coordinates, with "nice" ticks (1, 2, 5 × 10ᵏ).</summary>
internal sealed class ChartAxis
{
    private ChartAxis(double min, double max, double from, double to, bool log)
    {
        Min = min;
        Max = max;
        From = from;
        To = to;
        Log = log;
    }

    internal double Min { get; }

    internal double Max { get; }

    /// <summary>Drawing coordinate of <see cref="Min"/>.</summary>
    internal double From { get; }

    /// <summary>Drawing coordinate of <see cref="Max"/>.</summary>
    internal double To { get; }

    internal bool Log { get; }

    /// <summary>An axis covering the finite <paramref name="values"/> (and the fixed ends when given), widened to nice ticks.</summary>
    internal static ChartAxis Fit(IEnumerable<double> values, double from, double to, double? fixedMin = null, double? fixedMax = null, bool log = false)
    {
        var finite = values.Where(double.IsFinite).Where(v => !log || v > 0).ToList();
        var min = fixedMin ?? (finite.Count == 0 ? 0 : finite.Min());
        var max = fixedMax ?? (finite.Count == 0 ? 1 : finite.Max());
        if (log)
        {
            if (min <= 0) min = finite.Count == 0 ? 1 : finite.Min();
            min = Math.Pow(10, Math.Floor(Math.Log10(min)));
            max = Math.Pow(10, Math.Ceiling(Math.Log10(Math.Max(max, min * 10))));
            return new ChartAxis(min, max, from, to, true);
        }
        if (max <= min)
        {
            var pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= fixedMin is null ? pad : 0;
            max = min + (fixedMin is null ? 2 * pad : pad);
        }
        var step = NiceStep(max - min);
        if (fixedMin is null) min = Math.Floor(min / step) * step;
        if (fixedMax is null) max = Math.Ceiling(max / step) * step;
        return new ChartAxis(min, max, from, to, false);
    }

    internal double Map(double value)
    {
        double t = Log
            ? (Math.Log10(Math.Max(value, Min)) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (value - Min) / (Max - Min);
        return From + t * (To - From);
    }

    internal IReadOnlyList<double> Ticks()
    {
        if (Log)
        {
            var ticks = new List<double>();
            for (var v = Min; v <= Max * 1.0000001; v *= 10) ticks.Add(v);
            return ticks;
        }
        var step = NiceStep(Max - Min);
        var first = Math.Ceiling(Min / step - 1e-9) * step;
        var list = new List<double>();
        for (var v = first; v <= Max + step * 1e-9 && list.Count < 50; v += step) list.Add(Math.Abs(v) < step * 1e-9 ? 0 : v);
        return list;
    }

    internal static string Label(double value)
    {
        if (value == 0) return "0";
        var a = Math.Abs(value);
        return a >= 1e5 || a < 1e-3 ? value.ToString("0.#E+0", CultureInfo.InvariantCulture) : value.ToString("0.####", CultureInfo.InvariantCulture);
    }

    /// <summary>A step of 1, 2 or 5 × 10ᵏ giving about five intervals over <paramref name="span"/>.</summary>
    internal static double NiceStep(double span)
    {
        if (!(span > 0) || !double.IsFinite(span)) return 1;
        var raw = span / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / magnitude;
        return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * magnitude;
    }
}
