namespace MLRobust.ML;

/// <summary>The parts of a model file: <c>Schema.json</c> (the input schema) and the component tree under <c>Model/</c>.</summary>
internal static class ModelFile
{
    internal const string SchemaEntry = "Schema.json";
    internal const string ModelDirectory = "Model/";

    internal static List<(string Name, byte[] Data)> Collect(ITransformer model, DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        // A model saved with a schema it can't read would fail only when loaded; fail now.
        model.GetOutputSchema(inputSchema);
        var entries = new List<(string Name, byte[] Data)> { (SchemaEntry, SchemaJson.Write(inputSchema)) };
        var names = new HashSet<string>(StringComparer.Ordinal) { SchemaEntry };
        var ctx = new ModelSaveContext(entries, names, ModelDirectory, 0);
        model.Save(ctx);
        if (ctx.LoaderSignature is null)
            throw new InvalidOperationException($"{model.GetType().FullName}.Save did not call ctx.SetComponent, so it could not be loaded back.");
        return entries;
    }

    internal static ITransformer Load(IHostEnvironment env, Stream stream, string source, ModelLoadLimits limits, out DataViewSchema inputSchema)
    {
        var entries = ModelArchive.Read(stream, source, limits);
        if (!entries.TryGetValue(SchemaEntry, out var schemaBytes))
            throw new ModelFormatException($"Model file '{source}' has no '{SchemaEntry}' entry.");
        var schema = SchemaJson.Read(schemaBytes, source);
        if (!entries.ContainsKey(ModelDirectory + ModelSaveContext.ComponentEntry))
            throw new ModelFormatException($"Model file '{source}' holds no model ('{ModelDirectory}{ModelSaveContext.ComponentEntry}' is missing).");
        var model = new ModelLoadContext(env, entries, source, ModelDirectory, 0).LoadComponent<ITransformer>();
        try
        {
            model.GetOutputSchema(schema);
        }
        catch (SchemaMismatchException ex)
        {
            throw new ModelFormatException($"Model file '{source}': the saved input schema does not fit the saved model: {ex.Reason}.", ex);
        }
        inputSchema = schema;
        return model;
    }
}
