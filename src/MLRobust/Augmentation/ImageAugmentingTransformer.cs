using MLRobust.Persistence;
using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using System.Text.Json;
using MLRobust.Attacks;
using MLRobust.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Augmentation;

/// <summary>
/// Applies an <see cref="ImageAugmentation"/> to an image column (a known-size Single vector [C, H, W]), row by row
/// and lazily. Each row draws from its own random stream, seeded by the transform's seed and the row's position
/// in the cursor, and, for a cursor asked for with a <see cref="Random"/> (a trainer's shuffled pass), by a seed drawn
/// from it, so that every pass augments anew. Saved into model files with its parameters (note that a saved chain
/// applies it at prediction time too: augment the training data outside the chain you ship).
/// </summary>
public sealed class ImageAugmentingTransformer : ITransformer
{
    internal const string LoaderSignature = "MLRobustImageAugment";
    internal const int Version = 1;

    internal ImageAugmentingTransformer(RobustEnvironment env, ImageAugmentation augmentation, int seed, int[]? imageShape, string outputColumnName, string inputColumnName)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        Augmentation = augmentation ?? throw new ArgumentNullException(nameof(augmentation));
        Seed = seed;
        ImageShape = imageShape;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    public ImageAugmentation Augmentation { get; }

    public int Seed { get; }

    public int[]? ImageShape { get; }

    public string OutputColumnName { get; }

    public string InputColumnName { get; }

    /// <summary>The (output, input) column pair, as ML.NET's one-to-one transformers name it.</summary>
    public (string outputColumnName, string inputColumnName)[] ColumnPairs => [(OutputColumnName, InputColumnName)];

    internal (long[] In, long[] Out) Shapes(DataViewSchema.Column input)
    {
        var (_, shape) = Attacks.Transforms.ImageColumn.Find(new SingleColumnSchema(input).Schema, input.Name, ImageShape);
        return (shape, Augmentation.OutputShape(shape, input.Name));
    }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => new Mapper(this, inputSchema).OutputSchema(inputSchema);

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ColumnMapperDataView(input, new Mapper(this, input.Schema));
    }

    /// <summary>True: each row is augmented on its own.</summary>
    public bool IsRowToRowMapper => true;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new ColumnMapperRowToRowMapper(inputSchema, new Mapper(this, inputSchema));

    /// <summary>Augments the input column of each row into the output column.</summary>
    private sealed class Mapper : IColumnMapper
    {
        private readonly ImageAugmentingTransformer _owner;
        private readonly DataViewSchema.Column _input;
        private readonly long[] _inShape;
        private readonly long[] _outShape;

        public Mapper(ImageAugmentingTransformer owner, DataViewSchema inputSchema)
        {
            ArgumentNullException.ThrowIfNull(inputSchema);
            _owner = owner;
            _input = SchemaMismatchException.FindColumn(inputSchema, owner.InputColumnName);
            (_inShape, _outShape) = owner.Shapes(_input);
            var dims = _outShape.Select(d => (int)d).ToArray();
            OutputColumns = [new DataViewSchema.DetachedColumn(owner.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, dims))];
        }

        public DataViewSchema.DetachedColumn[] OutputColumns { get; }

        public DataViewSchema OutputSchema(DataViewSchema inputSchema) => MappedRow.OutputSchema(inputSchema, OutputColumns);

        public IEnumerable<DataViewSchema.Column> Dependencies(DataViewSchema inputSchema, bool[] activeOutputs) =>
            activeOutputs[0] ? [_input] : [];

        public Delegate?[] MakeGetters(DataViewRow input, bool[] activeOutputs, int? cursorSeed = null)
        {
            // A plain cursor (evaluation, PredictionEngine) augments row p the same way every time; a shuffled pass (a
            // trainer's epoch) draws anew, from the pass's own seed.
            var seed = cursorSeed is { } pass ? SeedMix.Mix(_owner.Seed, pass) : _owner.Seed;
            if (!activeOutputs[0]) return [null];
            var getter = input.GetGetter<VBuffer<float>>(_input);
            var source = default(VBuffer<float>);
            var pixels = new float[_inShape.Aggregate(1L, (a, b) => a * b)];
            var result = new float[_outShape.Aggregate(1L, (a, b) => a * b)];
            long computedFor = -1;
            return [(ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            {
                var position = input.Position;
                if (position < 0) throw new InvalidOperationException("The cursor is not on a row.");
                if (position != computedFor)
                {
                    getter(ref source);
                    if (source.Length != pixels.Length)
                        throw new InvalidOperationException($"Column '{_input.Name}', row {position}: {source.Length} values, expected {pixels.Length}.");
                    source.CopyTo(pixels);
                    _owner.Augmentation.Apply(pixels, _inShape, result, new SampleRandom(seed, position));
                    computedFor = position;
                }
                var editor = VBufferEditor.Create(ref value, result.Length);
                result.CopyTo(editor.Values);
                value = editor.Commit();
            })];
        }
    }

    private sealed record Parameters(string Output, string Input, string Kind, int Seed, int[]? ImageShape, float RangeMin, float RangeMax, JsonElement Settings);

    private sealed record PixelChangeSettings(int Count, int Range, int? Area, PixelChangeMode Mode);
    private sealed record RotationSettings(double MaxDegrees, float Fill);
    private sealed record ShiftSettings(int MaxPixels, float Fill);
    private sealed record CropSettings(int Height, int Width, int Padding, float Fill);
    private sealed record NoiseSettings(double StandardDeviation);

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var writer = new ComponentWriter(LoaderSignature, Version);
        object settings = Augmentation switch
        {
            PixelChangeAugmentation p => new PixelChangeSettings(p.Count, p.Range, p.Area, p.Mode),
            RotationAugmentation r => new RotationSettings(r.MaxDegrees, r.Fill),
            ShiftAugmentation s => new ShiftSettings(s.MaxPixels, s.Fill),
            CropAugmentation c => new CropSettings(c.Height, c.Width, c.Padding, c.Fill),
            GaussianNoiseAugmentation g => new NoiseSettings(g.StandardDeviation),
            _ => throw new NotSupportedException($"Augmentation {Augmentation.GetType().Name} can't be saved."),
        };
        writer.SaveParameters(new Parameters(OutputColumnName, InputColumnName, Augmentation.Kind, Seed, ImageShape, Augmentation.ValueRange.Min, Augmentation.ValueRange.Max,
            JsonSerializer.SerializeToElement(settings, settings.GetType())));
        writer.WriteTo(ctx, typeof(ImageAugmentingTransformer));
    }

    internal static ImageAugmentingTransformer Create(ComponentReader ctx)
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
