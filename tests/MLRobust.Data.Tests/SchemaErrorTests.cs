using MLRobust.ML;
using MLRobust.ML.Data;
using TorchSharp;

namespace MLRobust.Data.Tests;

/// <summary>Point 8: schema errors name the column, the expected type and the actual one, as ML.NET's do.</summary>
public sealed class SchemaErrorTests
{
    private sealed class Wide
    {
        [VectorType(4)]
        public float[] V { get; set; } = new float[4];
        public string Text { get; set; } = "";
    }

    [Fact]
    public void WrongVectorSizesAreReportedWithBothTypes()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Wide() });
        using var scaler = new TensorScalerTransformer(ml, torch.ones(3), "Out", "V");
        var error = Assert.Throws<SchemaMismatchException>(() => scaler.Transform(data));
        Assert.Equal("Schema mismatch for input column 'V': expected Vector<Single, 3>, got Vector<Single, 4>", error.Reason);
        Assert.Equal("V", error.ColumnName);
        Assert.Equal("Vector<Single, 3>", error.ExpectedType);
        Assert.Equal("Vector<Single, 4>", error.ActualType);
        Assert.IsAssignableFrom<ArgumentOutOfRangeException>(error);
    }

    [Fact]
    public void WrongItemTypesAndMissingColumnsAreReported()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Wide() });
        using var scaler = new TensorScalerTransformer(ml, torch.ones(3), "Out", "Text");
        Assert.Equal("Schema mismatch for input column 'Text': expected Vector<Single, 3>, got String",
            Assert.Throws<SchemaMismatchException>(() => scaler.GetOutputSchema(data.Schema)).Reason);
        Assert.Equal("Could not find input column 'Nope'",
            Assert.Throws<SchemaMismatchException>(() => ml.Transforms.CopyColumns("A", "Nope").Fit(data)).Reason);
        Assert.Equal("Schema mismatch for input column 'V': expected Image, got Vector<Single>",
            Assert.Throws<SchemaMismatchException>(() => ml.Transforms.ConvertToGrayscale("G", "V").Fit(data)).Reason);
    }

    [Fact]
    public void ReadingObjectsOfTheWrongShapeNamesTheMember()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Wide() });
        var error = Assert.Throws<SchemaMismatchException>(() => ml.Data.CreateEnumerable<FeatureRowWithV>(data, false).ToList());
        Assert.Contains("Schema mismatch for source column 'V'", error.Message);
        Assert.Contains("FeatureRowWithV.V", error.Message);
        Assert.Contains("got Vector<Single, 4>", error.Message);
    }

    public sealed class FeatureRowWithV
    {
        [VectorType(3)]
        public float[] V { get; set; } = Array.Empty<float>();
    }
}
