namespace MLRobust.ML;

/// <summary>Saves and loads transformer chains (loaded chains are <c>TransformerChain&lt;ITransformer&gt;</c>).</summary>
[ModelComponent(LoaderSignature)]
internal static class TransformerChainLoader
{
    internal const string LoaderSignature = "TransformerChain";
    private const int Version = 1;

    // *** Format ***
    // parameters.json: { "Scopes": [int, ...] }; sub-models "Transform_000", "Transform_001", ... in order.
    private sealed record Parameters(int[] Scopes);

    internal static void Save(ModelSaveContext ctx, IReadOnlyList<ITransformer> transformers, IReadOnlyList<TransformerScope> scopes)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(scopes.Select(s => (int)s).ToArray()));
        for (var i = 0; i < transformers.Count; i++) ctx.SaveModel(transformers[i], SubModelName(i));
    }

    internal static (ITransformer[] Transformers, TransformerScope[] Scopes) Load(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var parameters = ctx.LoadParameters<Parameters>();
        if (parameters.Scopes is null) throw ctx.Error("the transformer chain lists no scopes");
        var transformers = new ITransformer[parameters.Scopes.Length];
        for (var i = 0; i < transformers.Length; i++) transformers[i] = ctx.LoadModel<ITransformer>(SubModelName(i));
        return (transformers, parameters.Scopes.Select(s => (TransformerScope)s).ToArray());
    }

    private static TransformerChain<ITransformer> Create(ModelLoadContext ctx)
    {
        var (transformers, scopes) = Load(ctx);
        return new TransformerChain<ITransformer>(transformers, scopes);
    }

    private static string SubModelName(int index) => $"Transform_{index:D3}";
}
