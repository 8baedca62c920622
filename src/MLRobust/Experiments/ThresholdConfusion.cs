using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Models;
using MLRobust.Training;

namespace MLRobust.Experiments;

/// <summary>
/// Confusion matrices of the triple-staged decision at several Θ from one scoring pass: the class scores do not depend on Θ,
/// only the decision does (<see cref="ClassDecision.Decide(ReadOnlySpan{float}, double, int)"/>, the rule the transformer
/// applies), so the network runs once instead of once per Θ.
/// </summary>
internal static class ThresholdConfusion
{
    /// <summary>For each Θ, counts[true class][decided class] over the rows of <paramref name="scored"/> (key labels, 1-based in
    /// ML.NET; the similarity column holds the object-class scores).</summary>
    internal static double[][][] Count(IDataView scored, string labelColumn, string similarityColumn, int classCount, int noneClassIndex,
        IReadOnlyList<double> thresholds)
    {
        var label = scored.Schema[labelColumn];
        var similarity = scored.Schema[similarityColumn];
        var counts = thresholds.Select(_ => Enumerable.Range(0, classCount).Select(_ => new double[classCount]).ToArray()).ToArray();
        using var cursor = scored.GetRowCursor(new[] { label, similarity });
        var readLabel = KeyReader.Create(cursor, label);
        var readScores = cursor.GetGetter<VBuffer<float>>(similarity);
        var scores = default(VBuffer<float>);
        var dense = new float[classCount - 1];
        while (cursor.MoveNext())
        {
            var key = readLabel();
            if (key == 0) continue; // a missing label, as ML.NET's evaluator skips it
            readScores(ref scores);
            scores.CopyTo(dense);
            var truth = (int)key - 1;
            for (var t = 0; t < thresholds.Count; t++) counts[t][truth][ClassDecision.Decide(dense, thresholds[t], noneClassIndex)]++;
        }
        return counts;
    }

    /// <summary>The error in percent of a confusion matrix (the share of rows off its diagonal).</summary>
    internal static double ErrorPercent(double[][] counts)
    {
        double total = 0, right = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            total += counts[i].Sum();
            right += counts[i][i];
        }
        return total == 0 ? double.NaN : (1 - right / total) * 100;
    }
}
