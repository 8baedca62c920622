using MLRobust.MLNet;
using MLRobust.Rendering.DataViews;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Tests.Infrastructure;
using MLRobust.Trainers;

namespace MLRobust.Tests;

/// <summary>The trainers' schema errors name the missing or mistyped column, what was expected and what was found.</summary>
public class TrainerSchemaTests
{
    private static IDataView Shapes(MLContext ml, int size = 24) => SyntheticShapes.DataView(ml, SyntheticShapes.Rows(8, size, 1), size);

    [Fact]
    public void MissingFeatureColumn_IsNamed()
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<SchemaMismatchException>(() => ml.MulticlassClassification.Trainers.DirectClassifier().Fit(Shapes(ml)));
        Assert.Equal("Features", e.ColumnName);
        Assert.Contains("Could not find feature column 'Features'", e.Message);
    }

    [Fact]
    public void MistypedLabel_NamesExpectedAndActualTypes()
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<SchemaMismatchException>(() =>
            ml.MulticlassClassification.Trainers.DirectClassifier(labelColumnName: "Parameters", featureColumnName: "Image").Fit(Shapes(ml)));
        Assert.Equal("Parameters", e.ColumnName);
        Assert.Contains("label column 'Parameters': expected a key type, got Vector<Single>", e.Reason);
    }

    [Fact]
    public void NonSquareFeatures_AreRejected()
    {
        var ml = new MLContext(1);
        var e = Assert.Throws<SchemaMismatchException>(() =>
            ml.MulticlassClassification.Trainers.DirectClassifier(featureColumnName: "Parameters").Fit(Shapes(ml)));
        Assert.Equal("Parameters", e.ColumnName);
        Assert.Contains("square greyscale image", e.ExpectedType);
    }

    [Fact]
    public void DirectWithParameters_NeedsTheParametersColumn()
    {
        var ml = new MLContext(1);
        var data = ml.Transforms.SelectColumns("Image", "Label").Fit(Shapes(ml)).Transform(Shapes(ml));
        var e = Assert.Throws<SchemaMismatchException>(() =>
            ml.MulticlassClassification.Trainers.DirectWithParameters(featureColumnName: "Image").Fit(data));
        Assert.Equal("Parameters", e.ColumnName);
        Assert.Contains("Could not find parameters column 'Parameters'", e.Message);
    }

    [Fact]
    public void TripleStaged_NamesEachMissingRenderColumn()
    {
        var ml = new MLContext(1);
        foreach (var missing in new[] { "CleanImage", "Alpha", "Parameters" })
        {
            var keep = new[] { "Image", "Label", "Parameters", "CleanImage", "Alpha" }.Where(c => c != missing).ToArray();
            var data = ml.Transforms.SelectColumns(keep).Fit(Shapes(ml)).Transform(Shapes(ml));
            var e = Assert.Throws<SchemaMismatchException>(() => ml.MulticlassClassification.Trainers.TripleStaged(featureColumnName: "Image").Fit(data));
            Assert.Equal(missing, e.ColumnName);
        }
    }

    [Fact]
    public void TripleStaged_NeedsANoneClass_AndASizeItCanProject()
    {
        var ml = new MLContext(1);
        var options = new TripleStagedTrainer.Options { FeatureColumnName = "Image", NoneLabel = "Nothing" };
        var e = Assert.Throws<SchemaMismatchException>(() => ml.MulticlassClassification.Trainers.TripleStaged(options).Fit(Shapes(ml)));
        Assert.Equal("Label", e.ColumnName);
        Assert.Contains("None class 'Nothing'", e.ExpectedType);
        Assert.Contains("disc, square, triangle, None", e.ActualType);

        var odd = Assert.Throws<SchemaMismatchException>(() => ml.MulticlassClassification.Trainers.TripleStaged(featureColumnName: "Image").Fit(Shapes(ml, 20)));
        Assert.Equal("Image", odd.ColumnName);
        Assert.Equal("20x20", odd.ActualType);
    }

    [Fact]
    public void GetOutputSchema_DescribesTheAddedColumns()
    {
        var ml = new MLContext(1);
        var shape = SchemaShapes.FromSchema(Shapes(ml).Schema);
        var output = ml.MulticlassClassification.Trainers.TripleStaged(featureColumnName: "Image").GetOutputSchema(shape);
        Assert.True(output.TryFindColumn("Score", out var score) && score.Kind == SchemaShape.Column.VectorKind.Vector);
        Assert.True(output.TryFindColumn("PredictedLabel", out var predicted) && predicted.IsKey);
        foreach (var name in new[] { "SimilarityScores", "EstimatedPose", "ProjectedImage" }) Assert.True(output.TryFindColumn(name, out _), name);
        Assert.Throws<SchemaMismatchException>(() => ml.MulticlassClassification.Trainers.DirectClassifier().GetOutputSchema(shape));
    }
}
