namespace MLRobust.ML.Transforms;

/// <summary>Copies columns under new names (values, type and annotations).</summary>
[ModelComponent(LoaderSignature)]
public sealed class ColumnCopyingTransformer : OneToOneTransformerBase
{
    internal const string LoaderSignature = "CopyTransform";
    private const int Version = 1;

    public ColumnCopyingTransformer(IHostEnvironment env, params (string outputColumnName, string inputColumnName)[] columns) : base(env, columns) { }

    protected override DataViewSchema.DetachedColumn GetOutputColumn(int iinfo, DataViewSchema.Column input) =>
        new(ColumnPairs[iinfo].outputColumnName, input.Type, input.Annotations);

    protected override Delegate MakeGetter(DataViewRow input, int iinfo, DataViewSchema.Column inputColumn, DataViewSchema.DetachedColumn outputColumn, out Action? disposer)
    {
        disposer = null;
        var method = typeof(DataViewRow).GetMethod(nameof(DataViewRow.GetGetter))!.MakeGenericMethod(inputColumn.Type.RawType);
        return (Delegate)method.Invoke(input, new object[] { inputColumn })!;
    }

    private sealed record Parameters(ColumnPairParameters[] Columns);

    public override void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(ColumnPairParameters.From(ColumnPairs)));
    }

    private static ColumnCopyingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        return new ColumnCopyingTransformer(ctx.Environment, ColumnPairParameters.ToTuples(ctx.LoadParameters<Parameters>().Columns, ctx));
    }
}

/// <summary>Creates a <see cref="ColumnCopyingTransformer"/>; nothing to learn.</summary>
public sealed class ColumnCopyingEstimator : TrivialEstimator<ColumnCopyingTransformer>
{
    public ColumnCopyingEstimator(IHostEnvironment env, params (string outputColumnName, string inputColumnName)[] columns)
        : base(env, new ColumnCopyingTransformer(env, columns)) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var outputs = Transformer.ColumnPairs.Select(p =>
        {
            var input = SchemaMismatchException.FindColumn(inputSchema, p.inputColumnName);
            return new SchemaShape.Column(p.outputColumnName, input.Kind, input.ItemType, input.IsKey, input.Annotations);
        }).ToArray();
        return inputSchema.With(outputs);
    }
}
