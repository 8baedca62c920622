using System.Globalization;
using System.Text;

namespace MLRobust.ML.Data;

/// <summary>Counts of (true class, predicted class) pairs, with per-class precision and recall.</summary>
public sealed class ConfusionMatrix
{
    private readonly string[] _classNames;

    /// <param name="counts">counts[truth][predicted].</param>
    /// <param name="classNames">Names for the table (default: 0, 1, ...).</param>
    public ConfusionMatrix(double[][] counts, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var n = counts.Length;
        if (counts.Any(r => r is null || r.Length != n)) throw new ArgumentException("The confusion matrix must be square.", nameof(counts));
        Counts = counts.Select(r => (IReadOnlyList<double>)r.ToArray()).ToArray();
        NumberOfClasses = n;
        _classNames = classNames?.ToArray() ?? Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (_classNames.Length != n) throw new ArgumentException($"{_classNames.Length} class names for {n} classes.", nameof(classNames));
        var recall = new double[n];
        var precision = new double[n];
        for (var c = 0; c < n; c++)
        {
            var truth = counts[c].Sum();
            var predicted = counts.Sum(r => r[c]);
            recall[c] = truth > 0 ? counts[c][c] / truth : 0;
            precision[c] = predicted > 0 ? counts[c][c] / predicted : 0;
        }
        PerClassRecall = recall;
        PerClassPrecision = precision;
    }

    /// <summary>Of the rows predicted as class c, the fraction truly c (0 when none was predicted c).</summary>
    public IReadOnlyList<double> PerClassPrecision { get; }

    /// <summary>Of the rows truly of class c, the fraction predicted c (0 when there are none).</summary>
    public IReadOnlyList<double> PerClassRecall { get; }

    /// <summary>Counts[truth][predicted].</summary>
    public IReadOnlyList<IReadOnlyList<double>> Counts { get; }

    public int NumberOfClasses { get; }

    public IReadOnlyList<string> ClassNames => _classNames;

    /// <summary>The table as ML.NET prints it: truth in rows, predictions in columns, recall on the right, precision below.</summary>
    public string GetFormattedConfusionTable()
    {
        var inv = CultureInfo.InvariantCulture;
        var countText = Counts.Select(r => r.Select(v => v.ToString(v == Math.Floor(v) ? "0" : "0.##", inv)).ToArray()).ToArray();
        var width = Math.Max(6, Math.Max(_classNames.Max(n => n.Length), countText.SelectMany(r => r).Max(t => t.Length)));
        var labelWidth = Math.Max(9, _classNames.Max(n => n.Length));
        var rule = new string('=', (width + 3) * NumberOfClasses + 7);
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("Confusion table");
        sb.Append(' ', labelWidth).Append(" ||").AppendLine(rule);
        sb.Append("PREDICTED".PadLeft(labelWidth)).Append(" ||");
        foreach (var name in _classNames) sb.Append(' ').Append(name.PadLeft(width)).Append(" |");
        sb.AppendLine(" Recall");
        sb.Append("TRUTH".PadRight(labelWidth)).Append(" ||").AppendLine(rule);
        for (var t = 0; t < NumberOfClasses; t++)
        {
            sb.Append(_classNames[t].PadLeft(labelWidth)).Append(" ||");
            foreach (var c in countText[t]) sb.Append(' ').Append(c.PadLeft(width)).Append(" |");
            sb.Append(' ').AppendLine(PerClassRecall[t].ToString("0.0000", inv));
        }
        sb.Append(' ', labelWidth).Append(" ||").AppendLine(rule);
        sb.Append("Precision".PadLeft(labelWidth)).Append(" ||");
        foreach (var p in PerClassPrecision) sb.Append(' ').Append(p.ToString("0.0000", inv).PadLeft(width)).Append(" |");
        sb.AppendLine();
        return sb.ToString();
    }

    public override string ToString() => GetFormattedConfusionTable();
}
