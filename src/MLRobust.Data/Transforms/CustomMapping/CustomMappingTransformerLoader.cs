using System.Reflection;

namespace MLRobust.ML.Transforms;

/// <summary>Saves a custom mapping as its contract name; loading finds the factory class registered for it.</summary>
[ModelComponent(LoaderSignature)]
internal static class CustomMappingTransformerLoader
{
    internal const string LoaderSignature = "CustomMappingTransformer";
    private const int Version = 1;

    private sealed record Parameters(string ContractName);

    internal static void Save(ModelSaveContext ctx, string contractName)
    {
        ctx.SetComponent(LoaderSignature, Version);
        ctx.SaveParameters(new Parameters(contractName));
    }

    private static ITransformer Create(ModelLoadContext ctx)
    {
        ctx.CheckVersion(1, Version);
        var contract = ctx.LoadParameters<Parameters>().ContractName ?? throw ctx.Error("the custom mapping has no contract name");
        var factoryType = ctx.Environment.ComponentCatalog.FindCustomMappingFactory(contract)
            ?? throw ctx.Error($"no [CustomMappingFactoryAttribute(\"{contract}\")] class is loaded; register its assembly with ComponentCatalog.RegisterAssembly");
        var baseType = factoryType;
        while (baseType != null && !(baseType.IsGenericType && baseType.GetGenericTypeDefinition() == typeof(CustomMappingFactory<,>))) baseType = baseType.BaseType;
        if (baseType is null) throw ctx.Error($"{factoryType.FullName} does not derive from CustomMappingFactory<TSrc, TDst>");
        var factory = Activator.CreateInstance(factoryType)
            ?? throw ctx.Error($"{factoryType.FullName} could not be created (it needs a public parameterless constructor)");
        var mapping = baseType.GetMethod(nameof(CustomMappingFactory<object, object>.GetMapping))!.Invoke(factory, null);
        var transformerType = typeof(CustomMappingTransformer<,>).MakeGenericType(baseType.GetGenericArguments());
        try
        {
            return (ITransformer)Activator.CreateInstance(transformerType, ctx.Environment, mapping, contract, null, null)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ctx.Error($"the custom mapping '{contract}' could not be rebuilt: {ex.InnerException.Message}", ex.InnerException);
        }
    }
}
