using MLRobust.Rendering.DataViews;
using MLRobust.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Tests.Infrastructure;
using MLRobust.Trainers;

namespace MLRobust.Tests;

/// <summary>Model.Save/Load round-trips every fitted transformer to identical outputs; the scoring view batches without changing
/// results and passes the input columns through; Θ is saved and changeable.</summary>
[Collection(SeededTorchCollection.Name)]
public class ModelPersistenceTests
{
    private const int Size = 24;
    private static readonly AlexNetSmallWidths Small = new(4, 8, 8, 8, 8, 16);

    private static IDataView Data(MLContext ml, int rows, int seed) => SyntheticShapes.DataView(ml, SyntheticShapes.Rows(rows, Size, seed), Size);

    private static List<float[]> Column(IDataView data, string name) =>
        data.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray()).ToList();

    private static List<uint> Keys(IDataView data, string name) => data.GetColumn<uint>(name).ToList();

    [Fact]
    public void DirectClassifier_SavedAndLoaded_ScoresIdentically()
    {
        var ml = new MLContext(3);
        var train = Data(ml, 16, 1);
        var test = Data(ml, 10, 2);
        var options = new DirectWithParametersTrainer.Options { FeatureColumnName = "Image", Widths = Small, Classifier = { Iterations = 3, BatchSize = 8 } };
        using var model = ml.MulticlassClassification.Trainers.DirectWithParameters(options).Fit(train);
        var before = model.Transform(test);
        using var folder = new TempFolder();
        ml.Model.Save(model, train.Schema, folder.File("direct.zip"));

        var loaded = Registered(99).Model.Load(folder.File("direct.zip"), out var schema);
        Assert.Equal(train.Schema.Select(c => c.Name), schema.Select(c => c.Name));
        var after = loaded.Transform(test);
        Assert.Equal(Column(before, "Score"), Column(after, "Score"));
        Assert.Equal(Keys(before, "PredictedLabel"), Keys(after, "PredictedLabel"));
        var direct = Assert.IsType<DirectClassifierTransformer>(loaded);
        Assert.IsType<DirectWithParameters>(direct.Classifier);
        Assert.Equal(new[] { "disc", "square", "triangle", "None" }, direct.Classes.Names);
        Assert.Equal(3, direct.Classes.NoneClassIndex);
        (loaded as IDisposable)?.Dispose();
    }

    [Fact]
    public void TripleStaged_SavedAndLoaded_GivesIdenticalOutputs_AndKeepsTheta()
    {
        var ml = new MLContext(4);
        var train = Data(ml, 24, 3);
        var test = Data(ml, 12, 4);
        var options = new TripleStagedTrainer.Options
        {
            FeatureColumnName = "Image", Threshold = 0.3, EstimatorWidths = Small, ProjectorWidths = Tiny.Projector, ComparatorWidths = Tiny.Comparator,
            Estimator = { Iterations = 2, BatchSize = 8 }, Projector = { Iterations = 2, BatchSize = 8 }, Comparator = { Iterations = 2, BatchSize = 32 },
            ComparatorImagesPerDraw = 8,
        };
        using var model = ml.MulticlassClassification.Trainers.TripleStaged(options).Fit(train);
        // A chain, as pipelines save it.
        var chain = new TransformerChain<ITransformer>(ml.Transforms.CopyColumns("Copy", "Image").Fit(train), model);
        var before = chain.Transform(test);
        using var folder = new TempFolder();
        ml.Model.Save(chain, train.Schema, folder.File("triple.zip"));

        var loaded = Registered(5).Model.Load(folder.File("triple.zip"), out _);
        var after = loaded.Transform(test);
        foreach (var name in new[] { "Score", "SimilarityScores", "EstimatedPose", "ProjectedImage" }) Assert.Equal(Column(before, name), Column(after, name));
        Assert.Equal(Keys(before, "PredictedLabel"), Keys(after, "PredictedLabel"));
        var triple = Assert.IsType<TripleStagedTransformer>(((TransformerChain<ITransformer>)loaded).LastTransformer);
        Assert.Equal(0.3, triple.Threshold);

        // Θ on the loaded model: the prediction follows the rule on the similarity scores, and Score's None slot holds Θ.
        foreach (var theta in new[] { 0.0, 0.5, 1.0 })
        {
            triple.Threshold = theta;
            var scored = loaded.Transform(test);
            var similarities = Column(scored, "SimilarityScores");
            var predicted = Keys(scored, "PredictedLabel");
            var scores = Column(scored, "Score");
            for (var r = 0; r < similarities.Count; r++)
            {
                var expected = similarities[r].All(s => s < (float)theta) ? 3 : Array.IndexOf(similarities[r], similarities[r].Max());
                Assert.Equal((uint)expected + 1, predicted[r]);
                Assert.Equal((float)theta, scores[r][3]);
            }
        }
        triple.Dispose();
    }

    [Fact]
    public void ScoringView_BatchesWithoutChangingResults_AndPassesInputsThrough()
    {
        var ml = new MLContext(6);
        var train = Data(ml, 16, 5);
        var test = Data(ml, 11, 6);
        var options = new DirectClassifierTrainer.Options { FeatureColumnName = "Image", Widths = Small, Classifier = { Iterations = 2, BatchSize = 8 } };
        using var model = ml.MulticlassClassification.Trainers.DirectClassifier(options).Fit(train);
        model.ScoringBatchSize = 1;
        var one = model.Transform(test);
        var scoresOne = Column(one, "Score");
        model.ScoringBatchSize = 4;
        var four = model.Transform(test);
        var scoresFour = Column(four, "Score");
        Assert.Equal(11, scoresFour.Count);
        for (var r = 0; r < 11; r++)
        for (var c = 0; c < 4; c++)
            Assert.Equal(scoresOne[r][c], scoresFour[r][c], 5);
        // Softmax rows sum to 1; the label and the image pass through in order.
        Assert.All(scoresFour, s => Assert.Equal(1f, s.Sum(), 4));
        Assert.Equal(Keys(test, "Label"), Keys(four, "Label"));
        Assert.Equal(Column(test, "Image"), Column(four, "Image"));
        // PredictedLabel is the argmax of Score; its key values are the label's.
        var predicted = Keys(four, "PredictedLabel");
        for (var r = 0; r < 11; r++) Assert.Equal((uint)Array.IndexOf(scoresFour[r], scoresFour[r].Max()) + 1, predicted[r]);
        Assert.Equal(new[] { "disc", "square", "triangle", "None" }, four.Schema["PredictedLabel"].GetKeyValueNames());
        Assert.Equal(new[] { "disc", "square", "triangle", "None" }, four.Schema["Score"].GetSlotNameStrings());
    }

    private sealed class ImageInput
    {
        [VectorType(1, Size, Size)]
        public float[] Image { get; set; } = Array.Empty<float>();
    }

    private sealed class TriplePrediction
    {
        public float[] Score { get; set; } = Array.Empty<float>();
        public uint PredictedLabel { get; set; }
        public float[] EstimatedPose { get; set; } = Array.Empty<float>();
    }

    [Fact]
    public void PredictionEngine_ScoresOneImageAsTheBatchedViewDoes()
    {
        var ml = new MLContext(7);
        var train = Data(ml, 16, 7);
        var rows = SyntheticShapes.Rows(3, Size, 8);
        var options = new TripleStagedTrainer.Options
        {
            FeatureColumnName = "Image", EstimatorWidths = Small, ProjectorWidths = Tiny.Projector, ComparatorWidths = Tiny.Comparator,
            Estimator = { Iterations = 1, BatchSize = 4 }, Projector = { Iterations = 1, BatchSize = 4 }, Comparator = { Iterations = 1, BatchSize = 16 },
            ComparatorImagesPerDraw = 8,
        };
        using var model = ml.MulticlassClassification.Trainers.TripleStaged(options).Fit(train);
        var batched = model.Transform(SyntheticShapes.DataView(ml, rows, Size));
        var scores = Column(batched, "Score");
        var poses = Column(batched, "EstimatedPose");
        var predicted = Keys(batched, "PredictedLabel");
        using var engine = ml.Model.CreatePredictionEngine<ImageInput, TriplePrediction>(model);
        for (var r = 0; r < rows.Length; r++)
        {
            var p = engine.Predict(new ImageInput { Image = rows[r].Image });
            Assert.Equal(scores[r].Length, p.Score.Length);
            for (var c = 0; c < p.Score.Length; c++) Assert.Equal(scores[r][c], p.Score[c], 5);
            for (var c = 0; c < p.EstimatedPose.Length; c++) Assert.Equal(poses[r][c], p.EstimatedPose[c], 5);
            Assert.Equal(predicted[r], p.PredictedLabel);
        }
    }

    /// <summary>A fresh context that can read MLRobust's components, as a loading application makes it.</summary>
    private static MLContext Registered(int seed)
    {
        var ml = new MLContext(seed);
        ml.ComponentCatalog.RegisterMLRobust();
        return ml;
    }

}
