using MLRobust.ML;
using MLRobust.ML.Data;

namespace MLRobust.Data.Tests;

/// <summary>Point 6: multiclass evaluation against a worked example computed by hand from ML.NET's definitions.</summary>
public sealed class EvaluationTests
{
    private sealed class Scored
    {
        public float Label;

        [VectorType(3)]
        public float[] Score = Array.Empty<float>();
    }

    private sealed class KeyScored
    {
        [KeyType(3)]
        public uint Label;

        [VectorType(3)]
        public float[] Score = Array.Empty<float>();
    }

    // label, scores, and what happens (argmax; rank of the true class's score, ties to the lower index):
    //  0 [0.7 0.2 0.1]   -> 0 right, rank 0
    //  1 [0.3 0.4 0.3]   -> 1 right, rank 0
    //  1 [0.5 0.1 0.4]   -> 0 wrong, rank 2
    //  2 [0.2 0.2 0.6]   -> 2 right, rank 0
    //  2 [0.4 0.4 0.2]   -> 0 wrong (first of the tie), rank 2
    //  0 [0.0 1.0 0.0]   -> 1 wrong, rank 1 (p = 0 is clamped to 1e-15 for the log-loss)
    //  0 [0.9 0.05 0.05] -> 0 right, rank 0
    //  NaN [...]         -> skipped
    private static readonly (float Label, float[] Score)[] s_rows =
    {
        (0, new[] { 0.7f, 0.2f, 0.1f }),
        (1, new[] { 0.3f, 0.4f, 0.3f }),
        (1, new[] { 0.5f, 0.1f, 0.4f }),
        (2, new[] { 0.2f, 0.2f, 0.6f }),
        (2, new[] { 0.4f, 0.4f, 0.2f }),
        (0, new[] { 0.0f, 1.0f, 0.0f }),
        (0, new[] { 0.9f, 0.05f, 0.05f }),
        (float.NaN, new[] { 1f, 0f, 0f }),
    };

    private static double L(float p) => -Math.Log(Math.Max((double)p, 1e-15));

    private static void CheckWorkedExample(MulticlassClassificationMetrics m)
    {
        Assert.Equal(4.0 / 7, m.MicroAccuracy, 12);
        Assert.Equal((2.0 / 3 + 0.5 + 0.5) / 3, m.MacroAccuracy, 12);
        var logLoss = (L(0.7f) + L(0.4f) + L(0.1f) + L(0.6f) + L(0.2f) + L(0f) + L(0.9f)) / 7;
        Assert.Equal(logLoss, m.LogLoss, 12);
        var prior = -(3.0 / 7 * Math.Log(3.0 / 7) + 2 * (2.0 / 7 * Math.Log(2.0 / 7)));
        Assert.Equal((prior - logLoss) / prior, m.LogLossReduction, 12);
        Assert.Equal((L(0.7f) + L(0f) + L(0.9f)) / 3, m.PerClassLogLoss[0], 12);
        Assert.Equal((L(0.4f) + L(0.1f)) / 2, m.PerClassLogLoss[1], 12);
        Assert.Equal((L(0.6f) + L(0.2f)) / 2, m.PerClassLogLoss[2], 12);
        Assert.Equal(3, m.TopKPredictionCount);
        Assert.Equal(new[] { 4.0 / 7, 5.0 / 7, 1.0 }, m.TopKAccuracyForAllK!.ToArray());
        Assert.Equal(1.0, m.TopKAccuracy);

        var cm = m.ConfusionMatrix;
        Assert.Equal(3, cm.NumberOfClasses);
        Assert.Equal(new[] { 2.0, 1, 0 }, cm.Counts[0]);
        Assert.Equal(new[] { 1.0, 1, 0 }, cm.Counts[1]);
        Assert.Equal(new[] { 1.0, 0, 1 }, cm.Counts[2]);
        Assert.Equal(new[] { 0.5, 0.5, 1.0 }, cm.PerClassPrecision);
        Assert.Equal(new[] { 2.0 / 3, 0.5, 0.5 }, cm.PerClassRecall);
    }

    [Fact]
    public void SingleLabelsFollowMlNetsRules()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(s_rows.Select(r => new Scored { Label = r.Label, Score = r.Score }).ToList());
        var metrics = ml.MulticlassClassification.Evaluate(data, topKPredictionCount: 3);
        CheckWorkedExample(metrics);
        var table = metrics.ConfusionMatrix.GetFormattedConfusionTable();
        Assert.Contains("Confusion table", table);
        Assert.Contains("PREDICTED", table);
        Assert.Contains("TRUTH", table);
        Assert.Matches(@"\s+0 \|\|\s+2 \|\s+1 \|\s+0 \| 0\.6667", table);
        Assert.Matches(@"Precision \|\|\s+0\.5000 \|\s+0\.5000 \|\s+1\.0000 \|", table);
    }

    [Fact]
    public void KeyLabelsAreOneBasedAndNameTheClasses()
    {
        var ml = new MLContext(1);
        var rows = s_rows.Where(r => !float.IsNaN(r.Label)).Select(r => new KeyScored { Label = (uint)r.Label + 1, Score = r.Score })
            .Append(new KeyScored { Label = 0, Score = new[] { 1f, 0, 0 } }) // key 0: missing label, skipped
            .ToList();
        var keyValues = new DataViewSchema.Annotations.Builder();
        var names = new[] { "cat".AsMemory(), "dog".AsMemory(), "eel".AsMemory() };
        keyValues.AddKeyValues(3, TextDataViewType.Instance, (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(3, names));
        var definition = SchemaDefinition.Create(typeof(KeyScored), SchemaDefinition.Direction.Read);
        definition["Label"].Annotations = keyValues.ToAnnotations();
        var metrics = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows, definition), topKPredictionCount: 3);
        CheckWorkedExample(metrics);
        Assert.Equal(new[] { "cat", "dog", "eel" }, metrics.ConfusionMatrix.ClassNames);
        Assert.Contains("eel", metrics.ConfusionMatrix.GetFormattedConfusionTable());
    }

    [Fact]
    public void WithoutTopKThereAreNoTopKFigures()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(s_rows.Select(r => new Scored { Label = r.Label, Score = r.Score }).ToList());
        var metrics = ml.MulticlassClassification.Evaluate(data);
        Assert.Null(metrics.TopKAccuracyForAllK);
        Assert.Equal(0, metrics.TopKAccuracy);
    }

    private sealed class BadScore
    {
        public float Label = 0;
        public float[] Score = Array.Empty<float>();
    }

    [Fact]
    public void ScoresMustBeKnownSizeSingleVectors()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new BadScore { Score = new[] { 1f, 0 } } });
        var error = Assert.Throws<SchemaMismatchException>(() => ml.MulticlassClassification.Evaluate(data));
        Assert.Contains("Schema mismatch for score column 'Score': expected known-size vector of Single with at least 2 classes, got Vector<Single>", error.Message);
        var good = ml.Data.LoadFromEnumerable(s_rows.Select(r => new Scored { Label = r.Label, Score = r.Score }).ToList());
        var missing = Assert.Throws<SchemaMismatchException>(() => ml.MulticlassClassification.Evaluate(good, labelColumnName: "Truth"));
        Assert.Contains("Could not find label column 'Truth'", missing.Message);
    }
}
