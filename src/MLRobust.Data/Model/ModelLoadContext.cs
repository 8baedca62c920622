using System.Text.Json;
using MLRobust.Serialization;
using TorchSharp;

namespace MLRobust.ML;

/// <summary>What a component's <c>Create(ModelLoadContext)</c> reads back: the entries its Save wrote, nested
/// components, and the environment to attach the loaded component to.</summary>
public sealed class ModelLoadContext
{
    private readonly IReadOnlyDictionary<string, byte[]> _entries;
    private readonly string _source;
    private readonly int _depth;

    internal ModelLoadContext(IHostEnvironment environment, IReadOnlyDictionary<string, byte[]> entries, string source, string directory, int depth)
    {
        Environment = environment;
        _entries = entries;
        _source = source;
        Directory = directory;
        _depth = depth;
        var info = ReadJson<ModelSaveContext.ComponentInfo>(ModelSaveContext.ComponentEntry, "component header");
        if (string.IsNullOrEmpty(info.Signature)) throw Error("the component header has no signature");
        LoaderSignature = info.Signature;
        Version = info.Version;
    }

    public IHostEnvironment Environment { get; }

    public string Directory { get; }

    public string LoaderSignature { get; }

    /// <summary>The version the component was saved with.</summary>
    public int Version { get; }

    /// <summary>Fails unless the saved version is in [<paramref name="minVersion"/>, <paramref name="maxVersion"/>].</summary>
    public void CheckVersion(int minVersion, int maxVersion)
    {
        if (Version > maxVersion)
            throw Error($"it was saved with version {Version} of '{LoaderSignature}', newer than this build reads (up to {maxVersion}); upgrade MLRobust");
        if (Version < minVersion)
            throw Error($"it was saved with version {Version} of '{LoaderSignature}', older than this build reads (from {minVersion})");
    }

    public bool ContainsEntry(string name) => _entries.ContainsKey(Directory + name);

    public T LoadParameters<T>() => ReadJson<T>(ModelSaveContext.ParametersEntry, "parameters");

    public string LoadText(string name) => System.Text.Encoding.UTF8.GetString(LoadBytes(name));

    public byte[] LoadBytes(string name) =>
        _entries.TryGetValue(Directory + name, out var data) ? data : throw Error($"entry '{name}' is missing");

    public void LoadBinaryStream(string name, Action<BinaryReader> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var reader = new BinaryReader(new MemoryStream(LoadBytes(name), writable: false));
        try
        {
            read(reader);
        }
        catch (EndOfStreamException ex)
        {
            throw Error($"entry '{name}' ends too early", ex);
        }
    }

    /// <summary>Reads a tensor map written by <see cref="ModelSaveContext.SaveTensors"/>, onto <paramref name="device"/> (default: CPU).</summary>
    public Dictionary<string, torch.Tensor> LoadTensors(string name, torch.Device? device = null)
    {
        try
        {
            return SafeTensors.Load(new MemoryStream(LoadBytes(name), writable: false), device);
        }
        catch (FormatException ex)
        {
            throw Error($"tensor entry '{name}' is not valid safetensors: {ex.Message}", ex);
        }
    }

    /// <summary>Loads the nested component saved under <paramref name="name"/>.</summary>
    public T LoadModel<T>(string name) where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_depth >= ModelLoadLimits.Default.MaxNesting) throw Error($"components are nested more than {ModelLoadLimits.Default.MaxNesting} deep");
        var directory = $"{Directory}{name}/";
        if (!_entries.ContainsKey(directory + ModelSaveContext.ComponentEntry)) throw Error($"nested component '{name}' is missing");
        var child = new ModelLoadContext(Environment, _entries, _source, directory, _depth + 1);
        return child.LoadComponent<T>();
    }

    internal T LoadComponent<T>() where T : class
    {
        var create = Environment.ComponentCatalog.FindLoader(LoaderSignature)
            ?? throw Error($"component '{LoaderSignature}' is unknown: load the assembly that defines it and register it with ComponentCatalog.RegisterAssembly");
        object result;
        try
        {
            result = create(this);
        }
        catch (Exception ex) when (ex is JsonException or InvalidCastException or KeyNotFoundException or IndexOutOfRangeException)
        {
            throw Error($"component '{LoaderSignature}' could not be read: {ex.Message}", ex);
        }
        return result as T ?? throw Error($"component '{LoaderSignature}' loaded as {result.GetType().Name}, which is not a {typeof(T).Name}");
    }

    /// <summary>An error naming the file and the component at fault.</summary>
    public ModelFormatException Error(string message, Exception? inner = null)
    {
        var text = $"Model file '{_source}', component at '{Directory}': {message}.";
        return inner is null ? new ModelFormatException(text) : new ModelFormatException(text, inner);
    }

    private T ReadJson<T>(string name, string what)
    {
        if (!_entries.TryGetValue(Directory + name, out var data)) throw Error($"its {what} ('{name}') are missing");
        try
        {
            return JsonSerializer.Deserialize<T>(data, ModelJson.Options) ?? throw Error($"its {what} are empty");
        }
        catch (JsonException ex)
        {
            throw Error($"its {what} are not valid: {ex.Message}", ex);
        }
    }
}
