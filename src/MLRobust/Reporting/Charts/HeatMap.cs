using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace MLRobust.Reporting;

/// <summary>A matrix drawn as coloured cells with their values (per-(source, target) MAE or switch thresholds,
/// confusion matrices), the first row at the top. NaN cells (the diagonal, empty cells) are grey and labelled "–".</summary>
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
        // About 48 units a cell, so values stay legible however the SVG is scaled; the colour scale takes about 80.
        Width = Math.Clamp(280 + 56 * values.GetLength(1), 360, 960);
        Height = Math.Clamp(120 + 48 * values.GetLength(0), 200, 900);
    }

    public double[,] Values { get; }

    public IReadOnlyList<string> RowLabels { get; }

    public IReadOnlyList<string> ColumnLabels { get; }

    /// <summary>What the rows and columns are ("source class", "target class").</summary>
    public string RowAxis { get; set; } = "";

    public string ColumnAxis { get; set; } = "";

    /// <summary>.NET format of the cell values.</summary>
    public string Format { get; set; } = "0.00";

    private protected override void Build(PlotModel model)
    {
        int rows = Values.GetLength(0), columns = Values.GetLength(1);
        var finite = Values.Cast<double>().Where(double.IsFinite).ToList();
        double low = finite.Count == 0 ? 0 : finite.Min(), high = finite.Count == 0 ? 1 : finite.Max();
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Top, Title = ColumnAxis, ItemsSource = ColumnLabels, GapWidth = 0 });
        // Reversed, so that the first row is at the top as in a table.
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, Title = RowAxis, ItemsSource = RowLabels, GapWidth = 0, StartPosition = 1, EndPosition = 0 });
        // White to dark blue, monotone in lightness (readable in print and for colour-blind readers).
        model.Axes.Add(new LinearColorAxis
        {
            Position = AxisPosition.Right, Palette = OxyPalette.Interpolate(64, OxyColor.Parse("#f7fbff"), OxyColor.Parse("#08306b")),
            Minimum = low, Maximum = high > low ? high : low + 1, InvalidNumberColor = OxyColor.Parse("#eeeeee"), MinorTickSize = 0,
        });
        // OxyPlot's data is indexed [x, y]: [column, row].
        var data = new double[columns, rows];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++) data[j, i] = Values[i, j];
        // Cell edges at ±0.5 around the category positions (centres would divide by zero for a single row or column).
        model.Series.Add(new CellSeries
        {
            Data = data, X0 = -0.5, X1 = columns - 0.5, Y0 = -0.5, Y1 = rows - 0.5, CoordinateDefinition = HeatMapCoordinateDefinition.Edge,
            RenderMethod = HeatMapRenderMethod.Rectangles, LabelFormatString = Format, LabelFontSize = 0.25,
        });
    }

    /// <summary>A heat map of vector rectangles whose cells are labelled at their centres, "–" for NaN.</summary>
    private sealed class CellSeries : HeatMapSeries
    {
        protected override string GetLabel(double v, int i, int j) => double.IsFinite(v) ? base.GetLabel(v, i, j) : "–";

        // OxyPlot's own labels assume centre coordinates; these are the cell centres for edge coordinates.
        protected override void RenderLabels(IRenderContext rc, OxyRect rect)
        {
            int columns = Data.GetLength(0), rows = Data.GetLength(1);
            var fontSize = Math.Min(12, Math.Min(rect.Width / columns, rect.Height / rows) * LabelFontSize);
            for (var j = 0; j < rows; j++)
                for (var i = 0; i < columns; i++)
                {
                    var v = Data[i, j];
                    var text = double.IsFinite(v) && ColorAxis.GetColor(v).ToHsv()[2] <= 0.6 ? OxyColors.White : OxyColors.Black;
                    rc.DrawText(Transform(new DataPoint(i, j)), GetLabel(v, i, j), text, ActualFont, fontSize, FontWeights.Normal, 0,
                        HorizontalAlignment.Center, VerticalAlignment.Middle);
                }
        }
    }
}
