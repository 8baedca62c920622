using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using MLRobust.Attacks.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Attacks;

/// <summary>
/// Adds the linear interpolation measures of each row's image pair (A = the input column with its label, B = the
/// other image column with its label): switch thresholds both ways, their sum, pop-up classes and the A→B
/// predictions (see <see cref="InterpolationColumnNames"/>). Lazy and batched like the attack transforms; not
/// saved into model files (it holds a live model).
/// </summary>
public sealed class InterpolationTransformer : ITransformer
{
    private readonly RobustEnvironment _env;

    internal InterpolationTransformer(RobustEnvironment env, LinearInterpolation sweep, string inputColumnName, string labelColumnName,
        string otherInputColumnName, string otherLabelColumnName, int batchSize, string columnPrefix, int[]? imageShape)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        Sweep = sweep ?? throw new ArgumentNullException(nameof(sweep));
        foreach (var (value, name) in new[] { (inputColumnName, nameof(inputColumnName)), (labelColumnName, nameof(labelColumnName)), (otherInputColumnName, nameof(otherInputColumnName)), (otherLabelColumnName, nameof(otherLabelColumnName)) })
            ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        InputColumnName = inputColumnName;
        LabelColumnName = labelColumnName;
        OtherInputColumnName = otherInputColumnName;
        OtherLabelColumnName = otherLabelColumnName;
        BatchSize = batchSize;
        ColumnPrefix = columnPrefix ?? throw new ArgumentNullException(nameof(columnPrefix));
        ImageShape = imageShape;
    }

    public LinearInterpolation Sweep { get; }
    public string InputColumnName { get; }
    public string LabelColumnName { get; }
    public string OtherInputColumnName { get; }
    public string OtherLabelColumnName { get; }

    /// <summary>Pairs swept together (each pair is 2 × steps images).</summary>
    public int BatchSize { get; }

    public string ColumnPrefix { get; }

    public int[]? ImageShape { get; }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumns(Bind(inputSchema).Outputs);
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bound = Bind(input.Schema);
        var device = _env.Device;
        return new BatchedDataView(input, bound.Outputs, bound.Dependencies, () => new InterpolationComputation(Sweep, bound, device));
    }

    /// <summary>False: the attack works on batches of rows, through <see cref="Transform"/>.</summary>
    public bool IsRowToRowMapper => false;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException($"{GetType().Name} attacks batches of rows and has no row-to-row mapper: use Transform (PredictionEngine can't run attacks).");

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("The interpolation transform holds a live model and is not saved into model files: save the model, then build the transform again after loading it.");

    internal Bound Bind(DataViewSchema schema)
    {
        var (a, shape) = ImageColumn.Find(schema, InputColumnName, ImageShape);
        var (b, otherShape) = ImageColumn.Find(schema, OtherInputColumnName, ImageShape);
        if (!shape.SequenceEqual(otherShape))
            throw new SchemaMismatchException("inputSchema", "input", OtherInputColumnName, a.Type.ToString()!, b.Type.ToString()!);
        var la = ClassColumn.Find(schema, LabelColumnName, "label");
        var lb = ClassColumn.Find(schema, OtherLabelColumnName, "label");
        var classes = Sweep.Model.ClassCount;
        var key = new KeyDataViewType(typeof(uint), classes);
        var keyValues = la.Type is KeyDataViewType k && k.Count == (ulong)classes ? la.Annotations : null;
        var p = ColumnPrefix;
        var outputs = new DataViewSchema.DetachedColumn[]
        {
            new(p + InterpolationColumnNames.SwitchThreshold, NumberDataViewType.Single),
            new(p + InterpolationColumnNames.ReverseThreshold, NumberDataViewType.Single),
            new(p + InterpolationColumnNames.ThresholdSum, NumberDataViewType.Single),
            new(p + InterpolationColumnNames.PopUp, BooleanDataViewType.Instance),
            new(p + InterpolationColumnNames.PopUpClasses, new VectorDataViewType(key), keyValues),
            new(p + InterpolationColumnNames.SweepPredictions, new VectorDataViewType(key, Sweep.Options.Steps), keyValues),
        };
        return new Bound(a, b, la, lb, shape, new[] { a, b, la, lb }, outputs, BatchSize, p);
    }

    internal SchemaShape GetOutputShape(SchemaShape input)
    {
        ImageColumn.Check(input, InputColumnName);
        ImageColumn.Check(input, OtherInputColumnName);
        ClassColumn.Check(input, LabelColumnName, "label");
        ClassColumn.Check(input, OtherLabelColumnName, "label");
        var p = ColumnPrefix;
        var scalar = SchemaShape.Column.VectorKind.Scalar;
        return input.With(
            SchemaShapes.Column(p + InterpolationColumnNames.SwitchThreshold, scalar, NumberDataViewType.Single, false),
            SchemaShapes.Column(p + InterpolationColumnNames.ReverseThreshold, scalar, NumberDataViewType.Single, false),
            SchemaShapes.Column(p + InterpolationColumnNames.ThresholdSum, scalar, NumberDataViewType.Single, false),
            SchemaShapes.Column(p + InterpolationColumnNames.PopUp, scalar, BooleanDataViewType.Instance, false),
            SchemaShapes.Column(p + InterpolationColumnNames.PopUpClasses, SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.UInt32, true),
            SchemaShapes.Column(p + InterpolationColumnNames.SweepPredictions, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.UInt32, true));
    }

    internal sealed record Bound(DataViewSchema.Column ImageA, DataViewSchema.Column ImageB, DataViewSchema.Column LabelA, DataViewSchema.Column LabelB,
        long[] ImageShape, IReadOnlyList<DataViewSchema.Column> Dependencies, DataViewSchema.DetachedColumn[] Outputs, int BatchSize, string Prefix);
}
