namespace MLRobust.Reporting;

/// <summary>A matrix drawn as coloured cells with their values (per-(source, target) MAE or switch thresholds,
/// confusion matrices). NaN cells (the diagonal, empty cells) are grey and labelled "–".</summary>
public sealed class HeatMap : Chart
{
    public HeatMap(double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(rowLabels);
        ArgumentNullException.ThrowIfNull(columnLabels);
        if (rowLabels.Count != values.GetLength(0) || columnLabels.Count != values.GetLength(1))
            throw new ArgumentException($"A {values.GetLength(0)}x{values.GetLength(1)} matrix needs {values.GetLength(0)} row labels and {values.GetLength(1)} column labels; got {rowLabels.Count} and {columnLabels.Count}.");
        if (values.Length == 0) throw new ArgumentException("The matrix is empty.", nameof(values));
        Values = values;
        RowLabels = rowLabels;
        ColumnLabels = columnLabels;
        // About 48 units a cell, so values stay legible however the SVG is scaled.
        Width = Math.Clamp(200 + 56 * values.GetLength(1), 320, 900);
        Height = Math.Clamp(110 + 48 * values.GetLength(0), 180, 900);
    }

    public double[,] Values { get; }

    public IReadOnlyList<string> RowLabels { get; }

    public IReadOnlyList<string> ColumnLabels { get; }

    /// <summary>What the rows and columns are ("source class", "target class").</summary>
    public string RowAxis { get; set; } = "";

    public string ColumnAxis { get; set; } = "";

    /// <summary>.NET format of the cell values.</summary>
    public string Format { get; set; } = "0.00";

    private protected override void Draw(SvgBuilder svg)
    {
        int rows = Values.GetLength(0), columns = Values.GetLength(1);
        var labelWidth = Math.Min(140, 16 + 7 * RowLabels.Max(l => l.Length));
        double left = 28 + labelWidth, top = svg.Top + 36, right = svg.Width - 16;
        var cell = Math.Min((right - left) / columns, (svg.Height - top - 16) / rows);
        var finite = Values.Cast<double>().Where(double.IsFinite).ToList();
        double low = finite.Count == 0 ? 0 : finite.Min(), high = finite.Count == 0 ? 1 : finite.Max();
        if (!string.IsNullOrEmpty(ColumnAxis)) svg.Text(left + cell * columns / 2, svg.Top + 10, ColumnAxis, anchor: "middle", size: 11, fill: "#555555");
        if (!string.IsNullOrEmpty(RowAxis)) svg.Text(12, top + cell * rows / 2, RowAxis, anchor: "middle", size: 11, fill: "#555555", rotate: -90);
        for (var j = 0; j < columns; j++)
            svg.Text(left + cell * (j + 0.5), top - 8, ColumnLabels[j], anchor: "middle", size: 11);
        for (var i = 0; i < rows; i++)
        {
            svg.Text(left - 6, top + cell * (i + 0.5) + 4, RowLabels[i], anchor: "end", size: 11);
            for (var j = 0; j < columns; j++)
            {
                var v = Values[i, j];
                var t = high > low ? (v - low) / (high - low) : 0.5;
                var fill = double.IsFinite(v) ? Blue(t) : "#eeeeee";
                var text = double.IsFinite(v) ? v.ToString(Format, System.Globalization.CultureInfo.InvariantCulture) : "–";
                svg.Rect(left + cell * j, top + cell * i, cell - 1, cell - 1, fill, tooltip: $"{RowLabels[i]} → {ColumnLabels[j]}: {text}");
                if (cell >= 22)
                    svg.Text(left + cell * (j + 0.5), top + cell * (i + 0.5) + 4, text, anchor: "middle", size: Math.Min(12, cell / 3.2), fill: double.IsFinite(v) && t > 0.55 ? "#ffffff" : "#222222");
            }
        }
    }

    /// <summary>White to dark blue, monotone in lightness (readable in print and for colour-blind readers).</summary>
    private static string Blue(double t)
    {
        t = Math.Clamp(t, 0, 1);
        int r = (int)Math.Round(247 - t * (247 - 8)), g = (int)Math.Round(251 - t * (251 - 48)), b = (int)Math.Round(255 - t * (255 - 107));
        return $"#{r:x2}{g:x2}{b:x2}";
    }
}
