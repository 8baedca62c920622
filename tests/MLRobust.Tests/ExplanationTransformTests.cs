using MLRobust.Attacks;
using MLRobust.Explanations;
using MLRobust.Tests.Infrastructure;
using Microsoft.ML;
using Microsoft.ML.Data;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The explanation transforms in an ML.NET pipeline (columns, values equal to the explainer run directly, label
/// column, schema errors naming the column) and the overlay pictures.</summary>
public class ExplanationTransformTests
{
    private const int Rows = 5, Classes = 3;

    public sealed class Row
    {
        public int Id { get; set; }

        [VectorType(1, 8, 8)]
        public float[] Features { get; set; } = Array.Empty<float>();

        [KeyType(Classes)]
        public uint Label { get; set; }

        public string Name { get; set; } = "";
    }

    public sealed class LimeRow
    {
        public int Id { get; set; }
        public float[] Explanation { get; set; } = Array.Empty<float>();
        public uint ExplainedClass { get; set; }
        public float[] TopSuperpixels { get; set; } = Array.Empty<float>();
        public int[] Superpixels { get; set; } = Array.Empty<int>();
    }

    public sealed class SaliencyRow
    {
        public int Id { get; set; }
        public float[] Heat { get; set; } = Array.Empty<float>();
        public uint IgExplainedClass { get; set; }
    }

    private static (MLContext Ml, IDataView Data, IAttackTarget Model, float[] Pixels) Setup(nn.Module<Tensor, Tensor> module)
    {
        var ml = new MLContext(seed: 1);
        var pixels = Uniform(Rows * 64, seed: 21);
        var rows = Enumerable.Range(0, Rows).Select(i => new Row { Id = i, Features = pixels.AsSpan(i * 64, 64).ToArray(), Label = (uint)(i % Classes), Name = "x" }).ToArray();
        return (ml, ml.Data.LoadFromEnumerable(rows), AttackTarget.FromLogits(module, Classes), pixels);
    }

    [Fact]
    public void ExplanationTransformsRunInAPipeline()
    {
        using var module = Mlp(64, 16, Classes, seed: 5);
        var (ml, data, model, pixels) = Setup(module);
        using var x = tensor(pixels, new long[] { Rows, 1, 8, 8 });

        var limeOptions = new LimeOptions { Segmenter = new GridSegmenter(2, 4), Samples = 80, RowsPerBatch = 2, Seed = 3 };
        var pipeline = ml.Transforms.Explanations.Lime(model, options: limeOptions)
            .Append(ml.Transforms.Explanations.Saliency(model, "Heat", options: new SaliencyOptions { Method = SaliencyMethod.IntegratedGradients, Steps = 20, ColumnPrefix = "Ig" }, labelColumnName: "Label"));
        var transformer = pipeline.Fit(data);
        var output = transformer.Transform(data);

        var heat = output.Schema["Explanation"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 8, 8), heat.Type);
        Assert.Equal(new KeyDataViewType(typeof(uint), Classes), output.Schema[ExplanationColumnNames.ExplainedClass].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Int32, 8, 8), output.Schema[ExplanationColumnNames.Superpixels].Type);
        Assert.Null(output.Schema.GetColumnOrNull("IgTopSuperpixels"));
        // the estimator's schema agrees
        var shape = pipeline.GetOutputSchema(MLRobust.MLNet.SchemaShapes.FromSchema(data.Schema));
        Assert.True(MLRobust.MLNet.SchemaShapes.TryFindColumn(shape, "Heat", out var heatShape) && heatShape.Kind == SchemaShape.Column.VectorKind.Vector);

        var lime = ml.Data.CreateEnumerable<LimeRow>(output, reuseRowObject: false).ToArray();
        var direct = new Lime(model, limeOptions).Explain(x);
        for (var i = 0; i < Rows; i++)
        {
            Assert.Equal(i, lime[i].Id);
            Assert.Equal(direct.HeatMaps[i], lime[i].Explanation);
            Assert.Equal((uint)direct.Classes[i] + 1, lime[i].ExplainedClass);
            Assert.Equal(direct.TopMask(i), lime[i].TopSuperpixels);
            Assert.Equal(direct.Segmentations[i].Labels, lime[i].Superpixels);
        }

        var saliency = ml.Data.CreateEnumerable<SaliencyRow>(output, reuseRowObject: false).ToArray();
        using var labels = tensor(Enumerable.Range(0, Rows).Select(i => (long)(i % Classes)).ToArray());
        var ig = new Saliency(model, new SaliencyOptions { Method = SaliencyMethod.IntegratedGradients, Steps = 20 }).Explain(x, labels);
        for (var i = 0; i < Rows; i++)
        {
            Assert.Equal((uint)(i % Classes) + 1, saliency[i].IgExplainedClass);
            Close(ig.HeatMaps[i], saliency[i].Heat, 1e-6, $"row {i}");
        }
    }

    [Fact]
    public void ExplanationSchemaErrorsNameTheColumn()
    {
        using var module = Mlp(64, 16, Classes, seed: 5);
        var (ml, data, model, _) = Setup(module);
        var missing = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.Explanations.Lime(model, inputColumnName: "Pixels").Fit(data));
        Assert.Contains("'Pixels'", missing.Message);
        var wrong = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.Explanations.Saliency(model, inputColumnName: "Name").Fit(data));
        Assert.Equal("Name", wrong.ColumnName);
        Assert.Contains("known-size vector of Single", wrong.Message);
        Assert.Contains("String", wrong.Message);
        var label = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.Explanations.Saliency(model, labelColumnName: "Name").Fit(data));
        Assert.Contains("label column 'Name'", label.Message);
        Assert.Throws<InvalidOperationException>(() => ml.Transforms.Explanations.Saliency(model).Fit(data).GetRowToRowMapper(data.Schema));
    }

    [Fact]
    public void ExplanationOverlayIsAPng()
    {
        var image = Enumerable.Range(0, 64).Select(p => p / 64f).ToArray();
        var heat = new float[64];
        heat[9] = 2f;
        heat[54] = -1f;
        var png = ExplanationImage.ToPng(image, 8, 8, heat, new ExplanationImageOptions { Zoom = 3 });
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png.Take(4).ToArray());
        using var folder = new TempFolder();
        var path = folder.File("overlay.png");
        ExplanationImage.SavePng(path, image, 8, 8, heat, new ExplanationImageOptions { Zoom = 3 });
        using var decoded = MLImage.CreateFromFile(path);
        Assert.Equal((24, 24), (decoded.Width, decoded.Height));
        var rgba = ExplanationImage.Render(image, 8, 8, heat, new ExplanationImageOptions { Zoom = 1 });
        // pixel 9: full positive → red over grey; pixel 54: half negative → bluish; pixel 0: plain grey
        Assert.True(rgba[9 * 4] > rgba[9 * 4 + 2] + 60, "positive is red");
        Assert.True(rgba[54 * 4 + 2] > rgba[54 * 4] + 20, "negative is blue");
        Assert.Equal(rgba[1 * 4], rgba[1 * 4 + 2]);
        Assert.Throws<ArgumentException>(() => ExplanationImage.Render(image, 8, 8, new float[10]));
    }
}
