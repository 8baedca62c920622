using Microsoft.ML.Transforms.Image;
using MLRobust.MLNet;
using MLRobust.Rendering.DataViews;
using MLRobust.Attacks;
using MLRobust.Metrics;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The attack transforms: columns, laziness, batching under the cursor, values equal to the attack run
/// directly, metrics equal to hand formulas over the columns, and errors naming the column.</summary>
public class AttackTransformTests
{
    private const int Classes = 12, Rows = 10;

    public sealed class Row
    {
        public int Id { get; set; }

        [VectorType(1, 8, 8)]
        public float[] Features { get; set; } = Array.Empty<float>();

        /// <summary>The class index, 0-based: ML.NET stores a key property's value v as key v + 1.</summary>
        [KeyType(Classes)]
        public uint Label { get; set; }
    }

    public sealed class Output
    {
        public int Id { get; set; }
        public float[] Features { get; set; } = Array.Empty<float>();
        public float[] Adversarial { get; set; } = Array.Empty<float>();
        public bool Success { get; set; }
        public int Steps { get; set; }
        public uint AdversarialPrediction { get; set; }
        public uint CleanPrediction { get; set; }
        public float Distortion { get; set; }
        public float MAE { get; set; }
        public float L0 { get; set; }
        public float L2 { get; set; }
        public float LInf { get; set; }
        public float SSIM { get; set; }
    }

    /// <summary>Counts forward passes and records their batch sizes.</summary>
    private sealed class CountingTarget : IAttackTarget
    {
        private readonly IAttackTarget _inner;
        internal CountingTarget(IAttackTarget inner) => _inner = inner;
        internal List<long> Batches { get; } = new();
        public int ClassCount => _inner.ClassCount;
        public int? NoneClass => _inner.NoneClass;

        public Tensor Forward(Tensor images)
        {
            Batches.Add(images.size(0));
            return _inner.Forward(images);
        }

        public Tensor Evidence(Tensor outputs) => _inner.Evidence(outputs);
        public Tensor Loss(Tensor outputs, Tensor labels) => _inner.Loss(outputs, labels);
    }

    private static (MLContext Ml, IDataView Data, nn.Module<Tensor, Tensor> Model, Row[] Rows) Setup()
    {
        var ml = new MLContext(seed: 1);
        var model = Mlp(64, 32, Classes, seed: 4);
        var pixels = Uniform(Rows * 64, seed: 8);
        using var x = tensor(pixels, new long[] { Rows, 1, 8, 8 });
        using var logits = model.call(x);
        var predicted = logits.argmax(1).data<long>().ToArray();
        var rows = Enumerable.Range(0, Rows).Select(i => new Row { Id = 100 + i, Features = pixels.AsSpan(i * 64, 64).ToArray(), Label = (uint)predicted[i] }).ToArray();
        return (ml, ml.Data.LoadFromEnumerable(rows), model, rows);
    }

    /// <summary>With 8-bit precision the transform delivers images on the 256-level grid, says so in the AttackPrecision
    /// annotation, and its success and metrics describe those rounded images (checked against the model and hand formulas).</summary>
    [Fact]
    public void AdversarialImages_GoThroughMLNetsConvertToImageAndExtractPixelsUnchanged()
    {
        using var scope = NewDisposeScope();
        var (ml, data, model, _) = Setup();
        var options = new PgdOptions { Seed = 2, Steps = 5, Epsilon = 0.1, StepSize = 0.03, Precision = AttackPrecision.GreyLevels8 };
        // Attack → ML.NET's ConvertToImage (an MLImage, e.g. to save) → ML.NET's ExtractPixels: the 8-bit adversarial images survive exactly.
        var output = ml.Transforms.Adversarial.Pgd(new LogitsAttackTarget(model, Classes), options: options)
            .Append(ml.Transforms.ConvertToImage(8, 8, "AdversarialImage", "Adversarial", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 255f))
            .Append(ml.Transforms.ExtractPixels("Extracted", "AdversarialImage", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Fit(data).Transform(data);
        var adversarial = output.GetColumn<VBuffer<float>>("Adversarial").Select(v => v.DenseValues().ToArray()).ToArray();
        var extracted = output.GetColumn<VBuffer<float>>("Extracted").Select(v => v.DenseValues().ToArray()).ToArray();
        Assert.Equal(Rows, extracted.Length);
        for (var r = 0; r < Rows; r++)
            for (var i = 0; i < 64; i++) Assert.Equal(adversarial[r][i], extracted[r][i], 6);
    }

    [Fact]
    public void EightBitDeepFoolTransformDescribesTheRoundedImages()
    {
        using var scope = NewDisposeScope();
        var (ml, data, model, rows) = Setup();
        var options = new DeepFoolOptions { Precision = AttackPrecision.GreyLevels8 };
        var output = ml.Transforms.Adversarial.DeepFool(new LogitsAttackTarget(model, Classes), options: options).Fit(data).Transform(data);
        foreach (var column in new[] { "Adversarial", "Success", "Steps", "Distortion", "SSIM" })
        {
            ReadOnlyMemory<char> precision = default;
            output.Schema[column].Annotations.GetValue(AdversarialColumnNames.PrecisionAnnotation, ref precision);
            Assert.Equal("GreyLevels8", precision.ToString());
        }
        var results = ml.Data.CreateEnumerable<Output>(output, reuseRowObject: false).ToArray();
        using var adversarial = tensor(results.SelectMany(r => r.Adversarial).ToArray(), new long[] { Rows, 1, 8, 8 });
        var onGrid = adversarial.data<float>().ToArray().All(v => Math.Abs(v * 255 - Math.Round(v * 255)) < 1e-3);
        Assert.True(onGrid, "every delivered value is one of the 256 grey levels");
        long[] predicted;
        using (no_grad()) predicted = model.call(adversarial).argmax(1).data<long>().ToArray();
        for (var i = 0; i < Rows; i++)
        {
            Assert.Equal((uint)predicted[i] + 1, results[i].AdversarialPrediction);
            Assert.Equal(predicted[i] != rows[i].Label, results[i].Success);
            var diff = results[i].Adversarial.Zip(rows[i].Features, (a, b) => (double)a - b).ToArray();
            Assert.Equal(diff.Average(Math.Abs), results[i].MAE, 5);
        }
        // DeepFool stops just past the boundary; with the least extra step every rounded image still fools the model.
        Assert.All(results, r => Assert.True(r.Success));
    }

    [Fact]
    public void PgdTransformAddsTheColumnsLazilyAndEqualsTheAttack()
    {
        using var scope = NewDisposeScope();
        var (ml, data, model, rows) = Setup();
        var counting = new CountingTarget(new LogitsAttackTarget(model, Classes));
        var options = new PgdOptions { Seed = 5, EarlyStop = true, Steps = 15, Epsilon = 0.1, StepSize = 0.02 };
        var estimator = ml.Transforms.Adversarial.Pgd(counting, options: options, columns: new AdversarialTransformOptions { BatchSize = 4 });
        var shape = estimator.GetOutputSchema(SchemaShapes.FromSchema(data.Schema));
        Assert.True(shape.TryFindColumn("Adversarial", out var adversarialShape) && adversarialShape.Kind == SchemaShape.Column.VectorKind.Vector);
        var transformer = estimator.Fit(data);
        var output = transformer.Transform(data);
        Assert.Empty(counting.Batches);

        var schema = output.Schema;
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 8, 8), schema["Adversarial"].Type);
        Assert.Equal(BooleanDataViewType.Instance, schema["Success"].Type);
        Assert.Equal(NumberDataViewType.Int32, schema["Steps"].Type);
        foreach (var key in new[] { "AttackTarget", "CleanPrediction", "AdversarialPrediction" })
            Assert.Equal(new KeyDataViewType(typeof(uint), Classes), schema[key].Type);
        foreach (var metric in new[] { "Distortion", "MAE", "L0", "L2", "LInf", "SSIM" })
            Assert.Equal(NumberDataViewType.Single, schema[metric].Type);
        Assert.Equal(transformer.GetOutputSchema(data.Schema).Select(c => c.Name), schema.Select(c => c.Name));

        // Reading only input columns runs no attack.
        using (var cursor = output.GetRowCursor(new[] { schema["Id"] }))
            while (cursor.MoveNext()) { }
        Assert.Empty(counting.Batches);

        var results = ml.Data.CreateEnumerable<Output>(output, reuseRowObject: false).ToArray();
        Assert.Equal(Rows, results.Length);
        Assert.True(counting.Batches.Max() <= 4, "rows are attacked in batches of at most 4");
        Assert.Contains(2L, counting.Batches);

        // The same attack on the whole batch, with the row positions as sample ids.
        using var x = tensor(rows.SelectMany(r => r.Features).ToArray(), new long[] { Rows, 1, 8, 8 });
        using var labels = tensor(rows.Select(r => (long)r.Label).ToArray());
        using var direct = new Pgd(new LogitsAttackTarget(model, Classes), options).Run(x, labels, sampleIds: Enumerable.Range(0, Rows).Select(i => (long)i).ToArray());
        var directImages = direct.Adversarial.data<float>().ToArray();
        for (var i = 0; i < Rows; i++)
        {
            var r = results[i];
            Assert.Equal(rows[i].Id, r.Id);
            Assert.Equal(rows[i].Features, r.Features);
            Close(directImages.AsSpan(i * 64, 64).ToArray(), r.Adversarial, 1e-6, $"row {i}");
            Assert.Equal(direct.Success[i], r.Success);
            Assert.Equal(direct.Steps[i], r.Steps);
            Assert.Equal((uint)direct.Predictions[i] + 1, r.AdversarialPrediction);
            Assert.Equal(rows[i].Label + 1, r.CleanPrediction);
            // Metrics from the columns by hand ([0, 1] images: distortion = RMS change).
            var diff = r.Adversarial.Zip(r.Features, (a, b) => (double)a - b).ToArray();
            Assert.Equal(Math.Sqrt(diff.Average(d => d * d)), r.Distortion, 5);
            Assert.Equal(diff.Average(Math.Abs), r.MAE, 5);
            Assert.Equal(diff.Count(d => d != 0), (int)r.L0);
            Assert.Equal(Math.Sqrt(diff.Sum(d => d * d)), r.L2, 5);
            Assert.Equal(diff.Max(Math.Abs), r.LInf, 5);
            Assert.True(r.LInf <= 0.1 + 1e-6);
            Assert.True(float.IsNaN(r.SSIM), "8x8 images are smaller than the SSIM window");
        }
        Assert.True(results.Count(r => r.Success) >= 3);
        Assert.True(results.Select(r => r.Steps).Distinct().Count() > 1, "early stop gives per-row steps");
    }

    [Fact]
    public void UntilFlipTransformWithGivenTargetsAndPrefix()
    {
        using var scope = NewDisposeScope();
        var (ml, data, model, rows) = Setup();
        var withTargets = ml.Transforms.CopyColumns("Goal", "Label").Fit(data).Transform(data);
        var options = new IterativeFgsmOptions { Target = TargetSelection.Given, MaxSteps = 500 };
        var columns = new AdversarialTransformOptions { TargetColumnName = "Goal", ColumnPrefix = "Flip", BatchSize = 3 };
        var output = ml.Transforms.Adversarial.IterativeFgsm(new LogitsAttackTarget(model, Classes), "FlipImage", options: options, columns: columns).Fit(withTargets).Transform(withTargets);
        using var cursor = output.GetRowCursor(output.Schema);
        var success = cursor.GetGetter<bool>(output.Schema["FlipSuccess"]);
        var steps = cursor.GetGetter<int>(output.Schema["FlipSteps"]);
        var target = cursor.GetGetter<uint>(output.Schema["FlipAttackTarget"]);
        var label = cursor.GetGetter<uint>(output.Schema["Label"]);
        var n = 0;
        while (cursor.MoveNext())
        {
            bool s = false; int k = -1; uint t = 0, l = 0;
            success(ref s); steps(ref k); target(ref t); label(ref l);
            // The target is the label itself: met before any step.
            Assert.True(s);
            Assert.Equal(0, k);
            Assert.Equal(l, t);
            n++;
        }
        Assert.Equal(Rows, n);
    }

    [Fact]
    public void SchemaAndRowErrorsNameTheColumn()
    {
        using var scope = NewDisposeScope();
        var (ml, data, model, _) = Setup();
        var target = new LogitsAttackTarget(model, Classes);
        var missing = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.Adversarial.Fgsm(target, inputColumnName: "Pixels").Fit(data));
        Assert.Contains("'Pixels'", missing.Message);
        var wrongType = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.Adversarial.Fgsm(target, columns: new AdversarialTransformOptions { LabelColumnName = "Features" }).Fit(data));
        Assert.Contains("'Features'", wrongType.Message);
        Assert.Contains("Vector<Single", wrongType.Message);
        Assert.Throws<ArgumentException>(() => ml.Transforms.Adversarial.Fgsm(target, options: new FgsmOptions { Target = TargetSelection.Given }));

        var unlabelled = ml.Data.LoadFromEnumerable(new[] { new Row { Id = 1, Features = new float[64], Label = uint.MaxValue /* out of range: ML.NET makes it the missing key 0 */ } });
        var output = ml.Transforms.Adversarial.Fgsm(target).Fit(unlabelled).Transform(unlabelled);
        var error = Assert.Throws<InvalidOperationException>(() => ml.Data.CreateEnumerable<Output>(output, false).ToArray());
        Assert.Contains("Column 'Label', row 0", error.Message);
        Assert.Throws<NotSupportedException>(() => ml.Model.Save(ml.Transforms.Adversarial.Fgsm(target).Fit(data), data.Schema, Path.Combine(Path.GetTempPath(), "never.zip")));
    }

    public sealed class Pair
    {
        [VectorType(1, 1, 2)] public float[] Features { get; set; } = Array.Empty<float>();
        [KeyType(3)] public uint Label { get; set; }
        [VectorType(1, 1, 2)] public float[] OtherFeatures { get; set; } = Array.Empty<float>();
        [KeyType(3)] public uint OtherLabel { get; set; }
    }

    public sealed class PairOutput
    {
        public float SwitchThreshold { get; set; }
        public float ReverseThreshold { get; set; }
        public float ThresholdSum { get; set; }
        public bool PopUp { get; set; }
        public uint[] PopUpClasses { get; set; } = Array.Empty<uint>();
        public uint[] SweepPredictions { get; set; } = Array.Empty<uint>();
    }

    /// <summary>The hand-built model of the interpolation tests (pop-up class c on T ∈ (0.35, 0.65)), as a transform.</summary>
    [Fact]
    public void InterpolateTransformReportsThresholdsPerPair()
    {
        using var scope = NewDisposeScope();
        var ml = new MLContext(seed: 1);
        var model = Linear(new float[,] { { 1, -1 }, { -1, 1 }, { 0, 0 } }, new[] { 0f, 0f, 0.3f });
        var pairs = new[]
        {
            new Pair { Features = new float[] { 1, 0 }, Label = 0, OtherFeatures = new float[] { 0, 1 }, OtherLabel = 1 },
            new Pair { Features = new float[] { 0, 1 }, Label = 1, OtherFeatures = new float[] { 1, 0 }, OtherLabel = 0 },
            new Pair { Features = new float[] { 1, 0 }, Label = 0, OtherFeatures = new float[] { 1, 0 }, OtherLabel = 0 },
        };
        var data = ml.Data.LoadFromEnumerable(pairs);
        var output = ml.Transforms.Adversarial.Interpolate(new LogitsAttackTarget(model, 3), batchSize: 2).Fit(data).Transform(data);
        var results = ml.Data.CreateEnumerable<PairOutput>(output, false).ToArray();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal((float)(65 / 99.0), results[i].SwitchThreshold);
            Assert.Equal((float)(65 / 99.0), results[i].ReverseThreshold);
            Assert.Equal((float)(130 / 99.0), results[i].ThresholdSum);
            Assert.True(results[i].PopUp);
            Assert.Equal(new uint[] { 3 }, results[i].PopUpClasses);
            Assert.Equal(100, results[i].SweepPredictions.Length);
        }
        // Same class both ends: switched at T = 0, no pop-up.
        Assert.Equal(0f, results[2].SwitchThreshold);
        Assert.False(results[2].PopUp);
    }
}
