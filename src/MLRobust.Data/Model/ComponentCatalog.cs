using System.Reflection;

namespace MLRobust.ML;

/// <summary>
/// Knows which classes load which model components (<see cref="ModelComponentAttribute"/>) and which classes
/// implement custom-mapping contracts (<see cref="MLRobust.ML.Transforms.CustomMappingFactoryAttributeAttribute"/>).
/// Classes in loaded assemblies that reference MLRobust.Data are found on first use; register others explicitly.
/// </summary>
public sealed class ComponentCatalog
{
    private static readonly object s_scanLock = new();
    private static readonly HashSet<Assembly> s_scanned = new();
    private static readonly Dictionary<string, (Type Type, Func<ModelLoadContext, object> Create)> s_loaders = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, Type> s_customMappings = new(StringComparer.Ordinal);

    private readonly object _lock = new();
    private readonly Dictionary<string, Func<ModelLoadContext, object>> _loaders = new(StringComparer.Ordinal);

    /// <summary>Registers every <see cref="ModelComponentAttribute"/> and custom-mapping factory class of <paramref name="assembly"/>.</summary>
    public void RegisterAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        lock (s_scanLock) Scan(assembly);
    }

    /// <summary>Registers a loader for one signature on this catalog only.</summary>
    public void RegisterLoader(string loaderSignature, Func<ModelLoadContext, object> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(loaderSignature);
        ArgumentNullException.ThrowIfNull(create);
        lock (_lock) _loaders[loaderSignature] = create;
    }

    internal Func<ModelLoadContext, object>? FindLoader(string loaderSignature)
    {
        lock (_lock)
        {
            if (_loaders.TryGetValue(loaderSignature, out var local)) return local;
        }
        lock (s_scanLock)
        {
            if (!s_loaders.ContainsKey(loaderSignature)) ScanLoadedAssemblies();
            return s_loaders.TryGetValue(loaderSignature, out var found) ? found.Create : null;
        }
    }

    internal Type? FindCustomMappingFactory(string contractName)
    {
        lock (s_scanLock)
        {
            if (!s_customMappings.ContainsKey(contractName)) ScanLoadedAssemblies();
            return s_customMappings.TryGetValue(contractName, out var type) ? type : null;
        }
    }

    private static void ScanLoadedAssemblies()
    {
        var self = typeof(ComponentCatalog).Assembly;
        var selfName = self.GetName().Name;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic || s_scanned.Contains(assembly)) continue;
            if (assembly != self && !assembly.GetReferencedAssemblies().Any(r => r.Name == selfName))
            {
                s_scanned.Add(assembly);
                continue;
            }
            Scan(assembly);
        }
    }

    private static void Scan(Assembly assembly)
    {
        if (!s_scanned.Add(assembly)) return;
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            types = ex.Types.Where(t => t is not null).ToArray()!;
        }
        foreach (var type in types)
        {
            if (type.GetCustomAttribute<ModelComponentAttribute>() is { } component) AddLoader(type, component.LoaderSignature);
            if (type.GetCustomAttribute<MLRobust.ML.Transforms.CustomMappingFactoryAttributeAttribute>() is { } mapping) AddCustomMapping(type, mapping.ContractName);
        }
    }

    private static void AddLoader(Type type, string signature)
    {
        if (s_loaders.TryGetValue(signature, out var existing))
        {
            if (existing.Type == type) return;
            throw new InvalidOperationException($"Model component signature '{signature}' is claimed by both {existing.Type.FullName} and {type.FullName}.");
        }
        var create = type.GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, new[] { typeof(ModelLoadContext) })
            ?? throw new InvalidOperationException($"{type.FullName} is marked [ModelComponent(\"{signature}\")] but has no static Create(ModelLoadContext) method.");
        if (type.IsGenericTypeDefinition)
            throw new InvalidOperationException($"{type.FullName} is generic; mark a non-generic loader class with [ModelComponent] instead.");
        s_loaders[signature] = (type, ctx =>
        {
            try
            {
                return create.Invoke(null, new object[] { ctx }) ?? throw ctx.Error("the loader returned null");
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        });
    }

    private static void AddCustomMapping(Type type, string contractName)
    {
        if (s_customMappings.TryGetValue(contractName, out var existing) && existing != type)
            throw new InvalidOperationException($"Custom mapping contract '{contractName}' is claimed by both {existing.FullName} and {type.FullName}.");
        s_customMappings[contractName] = type;
    }
}
