namespace MLRobust.Robustness;

/// <summary>Per (source class, target class) aggregates over cases, and conversions for writers (JSON wants jagged arrays).</summary>
public static class ClassMatrix
{
    /// <summary>Rows of <paramref name="matrix"/> as jagged arrays.</summary>
    public static double[][] ToJagged(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Enumerable.Range(0, matrix.GetLength(0)).Select(i => Enumerable.Range(0, matrix.GetLength(1)).Select(j => matrix[i, j]).ToArray()).ToArray();
    }

    /// <summary>Rows of <paramref name="matrix"/> as jagged arrays.</summary>
    public static int[][] ToJagged(int[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Enumerable.Range(0, matrix.GetLength(0)).Select(i => Enumerable.Range(0, matrix.GetLength(1)).Select(j => matrix[i, j]).ToArray()).ToArray();
    }

    /// <summary>The mean of the finite entries of <paramref name="matrix"/> (each cell counts once), NaN when none is finite.</summary>
    public static double MeanOfCells(double[,] matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Mean(matrix.Cast<double>());
    }

    /// <summary>The mean of the finite entries of row <paramref name="row"/>, NaN when none is finite.</summary>
    public static double MeanOfRow(double[,] matrix, int row)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return Mean(Enumerable.Range(0, matrix.GetLength(1)).Select(j => matrix[row, j]));
    }

    internal static double Mean(IEnumerable<double> values)
    {
        double sum = 0;
        var n = 0;
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            sum += v;
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>Mean of <paramref name="value"/> over the cases of each cell that <paramref name="include"/> keeps (NaN values
    /// skipped); NaN for cells with no such case.</summary>
    internal static double[,] MeanPerCell<T>(IReadOnlyList<T> cases, int k, Func<T, (int source, int target)> cell, Func<T, double> value, Func<T, bool>? include = null)
    {
        var sum = new double[k, k];
        var count = new int[k, k];
        foreach (var c in cases)
        {
            if (include is not null && !include(c)) continue;
            var v = value(c);
            if (double.IsNaN(v)) continue;
            var (s, t) = cell(c);
            sum[s, t] += v;
            count[s, t]++;
        }
        var mean = new double[k, k];
        for (var i = 0; i < k; i++)
        for (var j = 0; j < k; j++)
            mean[i, j] = count[i, j] == 0 ? double.NaN : sum[i, j] / count[i, j];
        return mean;
    }

    internal static int[,] CountPerCell<T>(IReadOnlyList<T> cases, int k, Func<T, (int source, int target)> cell)
    {
        var count = new int[k, k];
        foreach (var c in cases)
        {
            var (s, t) = cell(c);
            count[s, t]++;
        }
        return count;
    }
}
