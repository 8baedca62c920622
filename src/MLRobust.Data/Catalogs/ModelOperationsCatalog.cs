using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary><c>mlContext.Model</c>: saving and loading models, and scoring single examples.</summary>
public sealed class ModelOperationsCatalog : CatalogBase
{
    internal ModelOperationsCatalog(IHostEnvironment env) : base(env) { }

    /// <summary>Saves <paramref name="model"/> with the schema of the data it expects, atomically (temporary file, then rename).</summary>
    public void Save(ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        var entries = ModelFile.Collect(model, inputSchema);
        AtomicFile.Write(filePath, stream => ModelArchive.Write(stream, entries));
    }

    public void Save(ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        ModelArchive.Write(stream, ModelFile.Collect(model, inputSchema));
    }

    /// <summary>Loads a model saved by <see cref="Save(ITransformer, DataViewSchema, string)"/>, checking the file first;
    /// failures are <see cref="ModelFormatException"/>s naming the file and the part at fault.</summary>
    public ITransformer Load(string filePath, out DataViewSchema inputSchema)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        if (!File.Exists(filePath)) throw new FileNotFoundException($"Model file '{filePath}' does not exist.", filePath);
        using var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ModelFile.Load(Environment, stream, filePath, ModelLoadLimits.Default, out inputSchema);
    }

    public ITransformer Load(Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ModelFile.Load(Environment, stream, "stream", ModelLoadLimits.Default, out inputSchema);
    }

    /// <summary>Scores single objects through <paramref name="transformer"/> (not thread-safe; make one per thread).</summary>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer transformer, bool ignoreMissingColumns = true,
        SchemaDefinition? inputSchemaDefinition = null, SchemaDefinition? outputSchemaDefinition = null)
        where TSrc : class
        where TDst : class, new() =>
        new(Environment, transformer, ignoreMissingColumns, inputSchemaDefinition, outputSchemaDefinition);

    /// <summary>Scores single objects through <paramref name="transformer"/>, reading them with <paramref name="inputSchema"/>'s column types.</summary>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer transformer, DataViewSchema inputSchema)
        where TSrc : class
        where TDst : class, new()
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var definition = SchemaDefinition.Create(typeof(TSrc), SchemaDefinition.Direction.Read);
        foreach (var column in definition)
        {
            if (inputSchema.GetColumnOrNull(column.ColumnName) is { } match)
            {
                column.ColumnType = match.Type;
                column.Annotations = match.Annotations;
            }
        }
        return new(Environment, transformer, true, definition, null);
    }
}
