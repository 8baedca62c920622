using MLRobust.MLNet;
using MLRobust.Attacks.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Attacks;

/// <summary>
/// Adds adversarial images made by an <see cref="Attack"/> to a data view, lazily: nothing runs until a cursor
/// asks for an added column, and then rows are pulled, attacked and handed out a batch at a time. Besides the
/// image (same type as the input column) it adds, per row, the bookkeeping (success, steps, target, clean and
/// adversarial predictions as keys) and the perturbation metrics (see <see cref="AdversarialColumnNames"/>).
/// </summary>
/// <remarks>The transformer holds a live model, so it is not saved into model files: save the model, and build the
/// attack transform again after loading it.</remarks>
public sealed class AdversarialTransformer : ITransformer
{
    private readonly RobustEnvironment _env;
    private readonly double _fraction;
    private readonly bool _bookkeeping;

    internal AdversarialTransformer(RobustEnvironment env, Attack attack, string outputColumnName, string inputColumnName, AdversarialTransformOptions? options,
        double fraction = 1, bool bookkeeping = true)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        Attack = attack ?? throw new ArgumentNullException(nameof(attack));
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Options = options ?? new AdversarialTransformOptions();
        Options.Validate();
        if (!(fraction >= 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The fraction of attacked rows must be in [0, 1].");
        if (Attack.Options.Target == TargetSelection.Given && Options.TargetColumnName is null)
            throw new ArgumentException("Target selection 'Given' needs AdversarialTransformOptions.TargetColumnName.", nameof(options));
        _fraction = fraction;
        _bookkeeping = bookkeeping;
    }

    public Attack Attack { get; }

    public string OutputColumnName { get; }

    public string InputColumnName { get; }

    public AdversarialTransformOptions Options { get; }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var bound = Bind(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumns(bound.Outputs);
        return builder.ToSchema();
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bound = Bind(input.Schema);
        var device = _env.Device;
        var seed = unchecked(Attack.Options.Seed * 31 + 17);
        return new BatchedDataView(input, bound.Outputs, bound.Dependencies, () => new AttackComputation(Attack, bound, device, _fraction, seed));
    }

    /// <summary>False: the attack works on batches of rows, through <see cref="Transform"/>.</summary>
    public bool IsRowToRowMapper => false;

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException($"{GetType().Name} attacks batches of rows and has no row-to-row mapper: use Transform (PredictionEngine can't run attacks).");

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException($"The {Attack.Name} attack transform holds a live model and is not saved into model files: save the model, then build the attack transform again after loading it.");

    internal Bound Bind(DataViewSchema schema)
    {
        var (image, shape) = ImageColumn.Find(schema, InputColumnName, Options.ImageShape);
        var label = ClassColumn.Find(schema, Options.LabelColumnName, "label");
        DataViewSchema.Column? target = Options.TargetColumnName is { } t && Attack.Options.Target == TargetSelection.Given ? ClassColumn.Find(schema, t, "target") : null;
        var dependencies = new List<DataViewSchema.Column> { image, label };
        if (target is { } tc) dependencies.Add(tc);
        var precision = PrecisionAnnotation(Attack.Options.Precision);
        var imageAnnotations = new DataViewSchema.Annotations.Builder();
        imageAnnotations.Add(image.Annotations, _ => true);
        imageAnnotations.Add(precision, _ => true);
        var outputs = new List<DataViewSchema.DetachedColumn> { new(OutputColumnName, image.Type, imageAnnotations.ToAnnotations()) };
        if (_bookkeeping)
        {
            var key = new KeyDataViewType(typeof(uint), Attack.Model.ClassCount);
            var keyValues = label.Type is KeyDataViewType lk && lk.Count == (ulong)Attack.Model.ClassCount ? label.Annotations : null;
            var p = Options.ColumnPrefix;
            outputs.Add(new(p + AdversarialColumnNames.Success, BooleanDataViewType.Instance, precision));
            outputs.Add(new(p + AdversarialColumnNames.Steps, NumberDataViewType.Int32, precision));
            outputs.Add(new(p + AdversarialColumnNames.Target, key, keyValues));
            outputs.Add(new(p + AdversarialColumnNames.CleanPrediction, key, keyValues));
            outputs.Add(new(p + AdversarialColumnNames.AdversarialPrediction, key, keyValues));
            foreach (var m in AdversarialColumnNames.Metrics) outputs.Add(new(p + m, NumberDataViewType.Single, precision));
        }
        return new Bound(image, shape, label, target, dependencies, outputs.ToArray(), Options);
    }

    private static DataViewSchema.Annotations PrecisionAnnotation(AttackPrecision precision)
    {
        var builder = new DataViewSchema.Annotations.Builder();
        var text = precision.ToString().AsMemory();
        builder.Add(AdversarialColumnNames.PrecisionAnnotation, TextDataViewType.Instance, (ref ReadOnlyMemory<char> value) => value = text);
        return builder.ToAnnotations();
    }

    /// <summary>The shape of the output for an input of shape <paramref name="input"/> (for estimators).</summary>
    internal SchemaShape GetOutputShape(SchemaShape input)
    {
        ImageColumn.Check(input, InputColumnName);
        ClassColumn.Check(input, Options.LabelColumnName, "label");
        if (Options.TargetColumnName is { } t && Attack.Options.Target == TargetSelection.Given) ClassColumn.Check(input, t, "target");
        var columns = new List<SchemaShape.Column> { SchemaShapes.Column(OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false) };
        if (_bookkeeping)
        {
            var p = Options.ColumnPrefix;
            var scalar = SchemaShape.Column.VectorKind.Scalar;
            columns.Add(SchemaShapes.Column(p + AdversarialColumnNames.Success, scalar, BooleanDataViewType.Instance, false));
            columns.Add(SchemaShapes.Column(p + AdversarialColumnNames.Steps, scalar, NumberDataViewType.Int32, false));
            columns.Add(SchemaShapes.Column(p + AdversarialColumnNames.Target, scalar, NumberDataViewType.UInt32, true));
            columns.Add(SchemaShapes.Column(p + AdversarialColumnNames.CleanPrediction, scalar, NumberDataViewType.UInt32, true));
            columns.Add(SchemaShapes.Column(p + AdversarialColumnNames.AdversarialPrediction, scalar, NumberDataViewType.UInt32, true));
            foreach (var m in AdversarialColumnNames.Metrics) columns.Add(SchemaShapes.Column(p + m, scalar, NumberDataViewType.Single, false));
        }
        return input.With(columns.ToArray());
    }

    /// <summary>The transformer's columns resolved against one input schema.</summary>
    internal sealed record Bound(DataViewSchema.Column Image, long[] ImageShape, DataViewSchema.Column Label, DataViewSchema.Column? Target,
        IReadOnlyList<DataViewSchema.Column> Dependencies, DataViewSchema.DetachedColumn[] Outputs, AdversarialTransformOptions Options)
    {
        internal string[] OutputNames => Outputs.Select(o => o.Name).ToArray();
    }
}
