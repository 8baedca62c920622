namespace MLRobust.ML.Transforms;

/// <summary>Keeps only some columns (in the given order) or drops some; hidden columns go too.</summary>
[ModelComponent(LoaderSignature)]
public sealed class ColumnSelectingTransformer : ITransformer
{
    internal const string LoaderSignature = "SelectColumnsTransform";
    private const int Version = 1;

    public ColumnSelectingTransformer(IHostEnvironment env, string[]? keepColumns, string[]? dropColumns)
    {
        ArgumentNullException.ThrowIfNull(env);
        if ((keepColumns is null) == (dropColumns is null)) throw new ArgumentException("Give either columns to keep or columns to drop.");
        KeepColumns = keepColumns;
        DropColumns = dropColumns;
        if ((keepColumns ?? dropColumns)!.Any(string.IsNullOrEmpty)) throw new ArgumentException("Column names can't be empty.");
    }

    public IReadOnlyList<string>? KeepColumns { get; }
    public IReadOnlyList<string>? DropColumns { get; }

    private int[] Select(DataViewSchema schema)
    {
        if (KeepColumns != null)
        {
            var indices = KeepColumns.Select(n => SchemaMismatchException.FindColumn(schema, n).Index).ToArray();
            if (indices.Distinct().Count() != indices.Length) throw new ArgumentException("SelectColumns lists a column twice.");
            return indices;
        }
        foreach (var n in DropColumns!) SchemaMismatchException.FindColumn(schema, n);
        return schema.Where(c => !c.IsHidden && !DropColumns.Contains(c.Name)).Select(c => c.Index).ToArray();
    }

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return ColumnSelectingDataView.BuildSchema(inputSchema, Select(inputSchema));
    }

    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ColumnSelectingDataView(input, Select(input.Schema));
    }

    private sealed record Parameters(string[]? Keep, string[]? Drop);

    public void Save(ModelSaveContext ctx)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(KeepColumns?.ToArray(), DropColumns?.ToArray()));
    }

    private static ColumnSelectingTransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var p = ctx.LoadParameters<Parameters>();
        if ((p.Keep is null) == (p.Drop is null)) throw ctx.Error("give either columns to keep or to drop");
        return new ColumnSelectingTransformer(ctx.Environment, p.Keep, p.Drop);
    }
}

/// <summary>Creates a <see cref="ColumnSelectingTransformer"/>; nothing to learn.</summary>
public sealed class ColumnSelectingEstimator : TrivialEstimator<ColumnSelectingTransformer>
{
    public ColumnSelectingEstimator(IHostEnvironment env, string[]? keepColumns, string[]? dropColumns)
        : base(env, new ColumnSelectingTransformer(env, keepColumns, dropColumns)) { }

    public override SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (Transformer.KeepColumns is { } keep)
            return new SchemaShape(keep.Select(n => SchemaMismatchException.FindColumn(inputSchema, n)));
        foreach (var n in Transformer.DropColumns!) SchemaMismatchException.FindColumn(inputSchema, n);
        return new SchemaShape(inputSchema.Where(c => !Transformer.DropColumns!.Contains(c.Name)));
    }
}
