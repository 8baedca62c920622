using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using MLRobust.Trainers;

namespace MLRobust.Tests;

/// <summary>One fitted transformer of each classifier kind, scored from 8 threads at once — each with its own cursor, and
/// through per-thread prediction engines — gives exactly the sequential results, and memory stays flat over rounds.</summary>
[Collection(SeededTorchCollection.Name)]
public class ConcurrentScoringTests
{
    private const int Size = 24;
    private const int Threads = 8;
    private static readonly AlexNetSmallWidths Small = new(4, 8, 8, 8, 8, 16);

    public sealed class ImageInput
    {
        [VectorType(1, Size, Size)]
        public float[] Image { get; set; } = [];
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];
        public uint PredictedLabel { get; set; }
    }

    private static IDataView Data(MLContext ml, int rows, int seed) => SyntheticShapes.DataView(ml, SyntheticShapes.Rows(rows, Size, seed), Size);

    public static TheoryData<string> Kinds => new() { "direct", "direct+parameters", "triple-staged" };

    private static ITransformer Train(MLContext ml, string kind, IDataView train) => kind switch
    {
        "direct" => ml.MulticlassClassification.Trainers.DirectClassifier(new DirectClassifierTrainer.Options
        { FeatureColumnName = "Image", Widths = Small, Classifier = { Iterations = 2, BatchSize = 8 } }).Fit(train),
        "direct+parameters" => ml.MulticlassClassification.Trainers.DirectWithParameters(new DirectWithParametersTrainer.Options
        { FeatureColumnName = "Image", Widths = Small, Classifier = { Iterations = 2, BatchSize = 8 } }).Fit(train),
        _ => ml.MulticlassClassification.Trainers.TripleStaged(new TripleStagedTrainer.Options
        {
            FeatureColumnName = "Image", EstimatorWidths = Small, ProjectorWidths = Tiny.Projector, ComparatorWidths = Tiny.Comparator,
            Estimator = { Iterations = 2, BatchSize = 8 }, Projector = { Iterations = 2, BatchSize = 8 }, Comparator = { Iterations = 2, BatchSize = 16 },
            ComparatorImagesPerDraw = 8,
        }).Fit(train),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EightThreads_ScoreExactlyAsOne(string kind)
    {
        var ml = new MLContext(21);
        var model = Train(ml, kind, Data(ml, 24, 1));
        var test = Data(ml, 20, 2);
        var expected = Read(model.Transform(test));
        var images = test.GetColumn<VBuffer<float>>("Image").Select(v => v.DenseValues().ToArray()).ToArray();
        List<Prediction> Engine()
        {
            // ML.NET's engines own (and dispose) their transformer by default; these share one model.
            using var engine = ml.Model.CreatePredictionEngine<ImageInput, Prediction>(model,
                new PredictionEngineOptions { IgnoreMissingColumns = true, OwnsTransformer = false });
            return images.Select(i => engine.Predict(new ImageInput { Image = i })).ToList();
        }
        var expectedByEngine = Engine();

        long rssAfterWarmUp = 0; // after the third round
        var rss = new List<long>();
        for (var round = 0; round < 6; round++)
        {
            using var start = new Barrier(Threads);
            var cursors = new (List<float[]> Scores, List<uint> Labels)[Threads];
            var engines = new List<Prediction>[Threads];
            var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                start.SignalAndWait();
                cursors[t] = Read(model.Transform(test));
                engines[t] = Engine();
            })).ToArray();
            foreach (var thread in threads) thread.Start();
            foreach (var thread in threads) thread.Join();
            for (var t = 0; t < Threads; t++)
            {
                Assert.Equal(expected.Scores, cursors[t].Scores);
                Assert.Equal(expected.Labels, cursors[t].Labels);
                Assert.Equal(expectedByEngine.Select(p => p.Score), engines[t].Select(p => p.Score));
                Assert.Equal(expectedByEngine.Select(p => p.PredictedLabel), engines[t].Select(p => p.PredictedLabel));
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            // The first rounds warm up the allocator's per-thread arenas, which never give memory back under the process's
            // malloc tuning (measured, triple-staged: 1436, 1548, 1588, 1592, 1595, 1596 MiB — converging, not a leak).
            if (round == 2) rssAfterWarmUp = Process.GetCurrentProcess().WorkingSet64;
            rss.Add(Process.GetCurrentProcess().WorkingSet64 >> 20);
        }
        var growth = Process.GetCurrentProcess().WorkingSet64 - rssAfterWarmUp;
        Assert.True(growth < 24L << 20, $"memory grew by {growth >> 20} MiB over three more rounds of 8-thread scoring (MiB per round: {string.Join(", ", rss)})");
        (model as IDisposable)?.Dispose();
    }

    private static (List<float[]> Scores, List<uint> Labels) Read(IDataView scored)
    {
        var scores = new List<float[]>();
        var labels = new List<uint>();
        using var cursor = scored.GetRowCursor(new[] { scored.Schema["Score"], scored.Schema["PredictedLabel"] });
        var score = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        var label = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
        VBuffer<float> s = default;
        uint l = 0;
        while (cursor.MoveNext())
        {
            score(ref s);
            label(ref l);
            scores.Add(s.DenseValues().ToArray());
            labels.Add(l);
        }
        return (scores, labels);
    }
}
