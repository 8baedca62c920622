using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>ML.NET's multiclass evaluation rules over a scored data view.</summary>
internal static class MulticlassEvaluator
{
    internal const double Epsilon = 1e-15;

    internal static MulticlassClassificationMetrics Evaluate(IHostEnvironment env, IDataView data, string labelColumnName, string scoreColumnName,
        string? predictedLabelColumnName, int topK)
    {
        var schema = data.Schema;
        var score = SchemaMismatchException.FindColumn(schema, scoreColumnName, "score", nameof(data));
        if (score.Type is not VectorDataViewType { IsKnownSize: true, Size: >= 2 } scoreType || scoreType.ItemType != NumberDataViewType.Single)
            throw new SchemaMismatchException(nameof(data), "score", scoreColumnName, "known-size vector of Single with at least 2 classes", score.Type.ToString()!);
        var label = SchemaMismatchException.FindColumn(schema, labelColumnName, "label", nameof(data));
        if (label.Type != NumberDataViewType.Single && label.Type != NumberDataViewType.Double && label.Type is not KeyDataViewType)
            throw new SchemaMismatchException(nameof(data), "label", labelColumnName, "Single, Double or a key type", label.Type.ToString()!);
        if (predictedLabelColumnName != null && schema.GetColumnOrNull(predictedLabelColumnName) is { } predicted
            && predicted.Type is not (KeyDataViewType or NumberDataViewType))
            throw new SchemaMismatchException(nameof(data), "predicted label", predictedLabelColumnName, "a key or number type", predicted.Type.ToString()!);

        var k = scoreType.Size;
        var counts = new double[k][];
        for (var i = 0; i < k; i++) counts[i] = new double[k];
        var classCount = new double[k];
        var classLogLoss = new double[k];
        var rankHistogram = new long[k + 1];
        double n = 0, sumLogLoss = 0, correct = 0;

        using (var cursor = data.GetRowCursor(label, score))
        {
            var readLabel = LabelReader(cursor, label);
            var scoreGetter = cursor.GetGetter<VBuffer<float>>(score);
            var buffer = default(VBuffer<float>);
            var scores = new float[k];
            while (cursor.MoveNext())
            {
                if ((cursor.Position & 1023) == 0) env.CheckAlive();
                var l = readLabel();
                if (double.IsNaN(l)) continue;
                scoreGetter(ref buffer);
                if (buffer.Length != k)
                    throw new InvalidOperationException($"Score column '{scoreColumnName}' has a row of {buffer.Length} values; its type says {k}.");
                buffer.CopyTo(scores);

                var assigned = 0;
                for (var i = 1; i < k; i++) if (scores[i] > scores[assigned]) assigned = i;
                var intLabel = l >= 0 && l < k && l == Math.Floor(l) ? (int)l : -1;
                var known = intLabel >= 0;
                var p = known ? scores[intLabel] : 0f;
                var logLoss = known ? -Math.Log(Math.Clamp((double)p, Epsilon, 1.0)) : -Math.Log(Epsilon);

                n++;
                sumLogLoss += logLoss;
                if (known)
                {
                    classCount[intLabel]++;
                    classLogLoss[intLabel] += logLoss;
                    counts[intLabel][assigned]++;
                    if (assigned == intLabel) correct++;
                }
                var rank = k;
                if (known)
                {
                    rank = 0;
                    for (var i = 0; i < k; i++) if (scores[i] > p || (scores[i] == p && i < intLabel)) rank++;
                }
                rankHistogram[rank]++;
            }
        }
        if (n == 0) throw new InvalidOperationException($"Evaluate found no rows with a label in column '{labelColumnName}'.");

        var logLossMean = sumLogLoss / n;
        double entropy = 0;
        for (var c = 0; c < k; c++) if (classCount[c] > 0) entropy -= classCount[c] / n * Math.Log(classCount[c] / n);
        var present = Enumerable.Range(0, k).Where(c => classCount[c] > 0).ToArray();
        var macro = present.Length == 0 ? 0 : present.Average(c => counts[c][c] / classCount[c]);
        double[]? topKAll = null;
        if (topK > 0)
        {
            topKAll = new double[topK];
            long cumulative = 0;
            for (var i = 0; i < topK; i++)
            {
                if (i < rankHistogram.Length) cumulative += rankHistogram[i];
                topKAll[i] = cumulative / n;
            }
        }
        var perClass = Enumerable.Range(0, k).Select(c => classLogLoss[c] / classCount[c]).ToArray();
        var names = ClassNames(label, score, k);
        return new MulticlassClassificationMetrics(logLossMean, (entropy - logLossMean) / entropy, macro, correct / n, topK, topKAll, perClass,
            new ConfusionMatrix(counts, names));
    }

    // Keys are 1-based (0 = missing, read as NaN); key k is class k-1.
    private static Func<double> LabelReader(DataViewRow row, DataViewSchema.Column label)
    {
        var read = NumericReader.Scalar(row, label);
        if (label.Type is KeyDataViewType) return () => read() is var v && v == 0 ? double.NaN : v - 1;
        return read;
    }

    private static string[]? ClassNames(DataViewSchema.Column label, DataViewSchema.Column score, int k)
    {
        var names = label.Type is KeyDataViewType ? label.GetKeyValueNames() : null;
        if (names is null || names.Length != k) names = score.GetSlotNames();
        return names is { Length: > 0 } && names.Length == k && names.All(s => s.Length > 0) ? names : null;
    }
}
