using MLRobust.MLNet;
using MLRobust.Attacks.Transforms;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLRobust.Explanations;

/// <summary>
/// Adds an explanation heat map of each row's image to a data view, lazily and in batches of
/// <see cref="ExplanationOptions.RowsPerBatch"/> rows: the heat map column (a Single vector of the image's H·W pixels,
/// row-major) and the explained class (a key, <see cref="ExplanationColumnNames.ExplainedClass"/>); LIME adds the top
/// superpixels mask and the superpixel labels. The explained class is the model's prediction, or the label column's
/// class when one is named.
/// </summary>
/// <remarks>The transformer holds a live model, so it is not saved into model files: save the model, and build the
/// explanation transform again after loading it.</remarks>
public sealed class ExplanationTransformer : ITransformer
{
    private readonly RobustEnvironment _env;

    internal ExplanationTransformer(RobustEnvironment env, Explainer explainer, string outputColumnName, string inputColumnName, string? labelColumnName)
    {
        _env = env ?? throw new ArgumentNullException(nameof(env));
        Explainer = explainer ?? throw new ArgumentNullException(nameof(explainer));
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        if (labelColumnName is not null) ArgumentException.ThrowIfNullOrEmpty(labelColumnName);
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        LabelColumnName = labelColumnName;
    }

    /// <summary>The explanation method.</summary>
    public Explainer Explainer { get; }

    /// <summary>The heat map column.</summary>
    public string OutputColumnName { get; }

    /// <summary>The image column: a known-size Single vector read as [C, H, W].</summary>
    public string InputColumnName { get; }

    /// <summary>The column of the class to explain (key or class index); null: the model's prediction.</summary>
    public string? LabelColumnName { get; }

    private ExplanationOptions Options => Explainer.CommonOptions;

    private bool IsLime => Explainer is Lime;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumns(Bind(inputSchema).Outputs);
        return builder.ToSchema();
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bound = Bind(input.Schema);
        var device = _env.Device;
        return new BatchedDataView(input, bound.Outputs, bound.Dependencies, () => new ExplanationComputation(Explainer, bound, device));
    }

    /// <summary>False: explanations work on batches of rows, through <see cref="Transform"/>.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>Throws: explanations work on batches of rows.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new InvalidOperationException($"{GetType().Name} explains batches of rows and has no row-to-row mapper: use Transform (PredictionEngine can't run it).");

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException($"The {Explainer.Name} explanation transform holds a live model and is not saved into model files: save the model, then build the transform again after loading it.");

    internal Bound Bind(DataViewSchema schema)
    {
        var (image, shape) = ImageColumn.Find(schema, InputColumnName, Options.ImageShape);
        DataViewSchema.Column? label = LabelColumnName is { } l ? ClassColumn.Find(schema, l, "label") : null;
        var dependencies = new List<DataViewSchema.Column> { image };
        if (label is { } lc) dependencies.Add(lc);
        var pixels = (int)(shape[1] * shape[2]);
        var classes = Explainer.Model.ClassCount;
        var key = new KeyDataViewType(typeof(uint), classes);
        var keyValues = label is { Type: KeyDataViewType k } && k.Count == (ulong)classes ? label.Value.Annotations : null;
        var p = Options.ColumnPrefix;
        var outputs = new List<DataViewSchema.DetachedColumn>
        {
            new(OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, (int)shape[1], (int)shape[2])),
            new(p + ExplanationColumnNames.ExplainedClass, key, keyValues),
        };
        if (IsLime)
        {
            outputs.Add(new(p + ExplanationColumnNames.TopSuperpixels, new VectorDataViewType(NumberDataViewType.Single, (int)shape[1], (int)shape[2])));
            outputs.Add(new(p + ExplanationColumnNames.Superpixels, new VectorDataViewType(NumberDataViewType.Int32, (int)shape[1], (int)shape[2])));
        }
        return new Bound(image, shape, pixels, label, dependencies, outputs.ToArray(), Options);
    }

    internal SchemaShape GetOutputShape(SchemaShape input)
    {
        ImageColumn.Check(input, InputColumnName);
        if (LabelColumnName is { } l) ClassColumn.Check(input, l, "label");
        var p = Options.ColumnPrefix;
        var vector = SchemaShape.Column.VectorKind.Vector;
        var columns = new List<SchemaShape.Column>
        {
            SchemaShapes.Column(OutputColumnName, vector, NumberDataViewType.Single, false),
            SchemaShapes.Column(p + ExplanationColumnNames.ExplainedClass, SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.UInt32, true),
        };
        if (IsLime)
        {
            columns.Add(SchemaShapes.Column(p + ExplanationColumnNames.TopSuperpixels, vector, NumberDataViewType.Single, false));
            columns.Add(SchemaShapes.Column(p + ExplanationColumnNames.Superpixels, vector, NumberDataViewType.Int32, false));
        }
        return input.With(columns.ToArray());
    }

    /// <summary>The transformer's columns resolved against one input schema.</summary>
    internal sealed record Bound(DataViewSchema.Column Image, long[] ImageShape, int Pixels, DataViewSchema.Column? Label,
        IReadOnlyList<DataViewSchema.Column> Dependencies, DataViewSchema.DetachedColumn[] Outputs, ExplanationOptions Options);
}

/// <summary>The estimator of <see cref="ExplanationTransformer"/>: it learns nothing; Fit checks the input columns and
/// returns the transformer.</summary>
public sealed class ExplanationEstimator : FixedEstimator<ExplanationTransformer>
{
    internal ExplanationEstimator(ExplanationTransformer transformer) : base(transformer) { }

    /// <inheritdoc />
    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return Transformer.GetOutputShape(inputSchema);
    }
}
