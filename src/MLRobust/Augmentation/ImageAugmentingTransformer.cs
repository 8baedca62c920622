using System.Text.Json;
using MLRobust.Attacks;
using MLRobust.ML;
using MLRobust.ML.Data;

namespace MLRobust.Augmentation;

/// <summary>
/// Applies an <see cref="ImageAugmentation"/> to an image column (a known-size Single vector [C, H, W]), row by row
/// and lazily. Each row draws from its own random stream, seeded by the transform's seed and the row's position
/// in the cursor. Saved into model files with its parameters.
/// </summary>
[ModelComponent(LoaderSignature)]
public sealed class ImageAugmentingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "ImageAugmentTransform";
    private const int Version = 1;

    internal ImageAugmentingTransformer(IHostEnvironment env, ImageAugmentation augmentation, int seed, int[]? imageShape, string outputColumnName, string inputColumnName)
        : base(env, (outputColumnName, inputColumnName))
    {
        Augmentation = augmentation ?? throw new ArgumentNullException(nameof(augmentation));
        Seed = seed;
        ImageShape = imageShape;
    }

    public ImageAugmentation Augmentation { get; }

    public int Seed { get; }

    public int[]? ImageShape { get; }

    internal (long[] In, long[] Out) Shapes(DataViewSchema.Column input)
    {
        var (_, shape) = Attacks.Transforms.ImageColumn.Find(new SingleColumnSchema(input).Schema, input.Name, ImageShape);
        return (shape, Augmentation.OutputShape(shape, input.Name));
    }

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input)
    {
        var (_, output) = Shapes(input);
        var dims = output.Select(d => (int)d).ToArray();
        return new DataViewSchema.DetachedColumn(ColumnPairs[iinfo].outputColumnName, new VectorDataViewType(NumberDataViewType.Single, dims));
    }

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        var (inShape, outShape) = Shapes(inputColumn);
        var getter = input.GetGetter<VBuffer<float>>(inputColumn);
        var source = default(VBuffer<float>);
        var pixels = new float[inShape.Aggregate(1L, (a, b) => a * b)];
        var result = new float[outShape.Aggregate(1L, (a, b) => a * b)];
        long computedFor = -1;
        return (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var position = input.Position;
            if (position < 0) throw new InvalidOperationException("The cursor is not on a row.");
            if (position != computedFor)
            {
                getter(ref source);
                source.CopyTo(pixels);
                Augmentation.Apply(pixels, inShape, result, new SampleRandom(Seed, position));
                computedFor = position;
            }
            var editor = VBufferEditor.Create(ref value, result.Length);
            result.CopyTo(editor.Values);
            value = editor.Commit();
        });
    }

    private sealed record Parameters(string Output, string Input, string Kind, int Seed, int[]? ImageShape, float RangeMin, float RangeMax, JsonElement Settings);

    private sealed record PixelChangeSettings(int Count, int Range, int? Area, PixelChangeMode Mode);
    private sealed record RotationSettings(double MaxDegrees, float Fill);
    private sealed record ShiftSettings(int MaxPixels, float Fill);
    private sealed record CropSettings(int Height, int Width, int Padding, float Fill);
    private sealed record NoiseSettings(double StandardDeviation);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        object settings = Augmentation switch
        {
            PixelChangeAugmentation p => new PixelChangeSettings(p.Count, p.Range, p.Area, p.Mode),
            RotationAugmentation r => new RotationSettings(r.MaxDegrees, r.Fill),
            ShiftAugmentation s => new ShiftSettings(s.MaxPixels, s.Fill),
            CropAugmentation c => new CropSettings(c.Height, c.Width, c.Padding, c.Fill),
            GaussianNoiseAugmentation g => new NoiseSettings(g.StandardDeviation),
            _ => throw new NotSupportedException($"Augmentation {Augmentation.GetType().Name} can't be saved."),
        };
        var (output, input) = ColumnPairs[0];
        ctx.SaveParameters(new Parameters(output, input, Augmentation.Kind, Seed, ImageShape, Augmentation.ValueRange.Min, Augmentation.ValueRange.Max,
            JsonSerializer.SerializeToElement(settings, settings.GetType())));
    }

    private static ImageAugmentingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        if (string.IsNullOrEmpty(p.Output) || string.IsNullOrEmpty(p.Input)) throw ctx.Error("the column names are missing");
        try
        {
            var range = new InputRange(p.RangeMin, p.RangeMax);
            ImageAugmentation augmentation = p.Kind switch
            {
                "PixelChange" => p.Settings.Deserialize<PixelChangeSettings>() is { } s ? new PixelChangeAugmentation(s.Count, s.Range, s.Area, s.Mode, range) : throw ctx.Error("no settings"),
                "Rotation" => p.Settings.Deserialize<RotationSettings>() is { } r ? new RotationAugmentation(r.MaxDegrees, r.Fill, range) : throw ctx.Error("no settings"),
                "Shift" => p.Settings.Deserialize<ShiftSettings>() is { } s ? new ShiftAugmentation(s.MaxPixels, s.Fill, range) : throw ctx.Error("no settings"),
                "Crop" => p.Settings.Deserialize<CropSettings>() is { } c ? new CropAugmentation(c.Height, c.Width, c.Padding, c.Fill, range) : throw ctx.Error("no settings"),
                "GaussianNoise" => p.Settings.Deserialize<NoiseSettings>() is { } g ? new GaussianNoiseAugmentation(g.StandardDeviation, range) : throw ctx.Error("no settings"),
                _ => throw ctx.Error($"unknown augmentation '{p.Kind}'"),
            };
            return new ImageAugmentingTransformer(ctx.Environment, augmentation, p.Seed, p.ImageShape, p.Output, p.Input);
        }
        catch (ArgumentException ex)
        {
            throw ctx.Error($"the augmentation settings are invalid: {ex.Message}", ex);
        }
    }

    /// <summary>A one-column schema, to reuse the image-column checks on a column of another schema.</summary>
    private sealed class SingleColumnSchema
    {
        internal SingleColumnSchema(DataViewSchema.Column column)
        {
            var builder = new DataViewSchema.Builder();
            builder.AddColumn(column.Name, column.Type, column.Annotations);
            Schema = builder.ToSchema();
        }

        internal DataViewSchema Schema { get; }
    }
}
