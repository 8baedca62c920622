using System.Text.Json;
using Microsoft.ML.Runtime;
using MLRobust.MLNet;
using MLRobust.Serialization;
using TorchSharp;

namespace MLRobust.Persistence;

/// <summary>One MLRobust component read back from an ML.NET model file (entries already checked against their
/// SHA-256 hashes). Every problem becomes an <see cref="InvalidDataException"/> naming the component.</summary>
internal sealed class ComponentReader
{
    private readonly ComponentEntries _entries;

    public ComponentReader(IHostEnvironment env, ComponentEntries entries)
    {
        Environment = new RobustEnvironment(env ?? throw new ArgumentNullException(nameof(env)));
        _entries = entries ?? throw new ArgumentNullException(nameof(entries));
    }

    /// <summary>The loading context (its device settings decide where weights go).</summary>
    public RobustEnvironment Environment { get; }

    public int Version => (int)_entries.Version;

    public void CheckVersion(int minVersion, int maxVersion)
    {
        if (Version > maxVersion)
            throw Error($"it was saved with version {Version} of '{_entries.LoaderSignature}', newer than this build reads (up to {maxVersion}); upgrade MLRobust");
        if (Version < minVersion)
            throw Error($"it was saved with version {Version} of '{_entries.LoaderSignature}', older than this build reads (from {minVersion})");
    }

    public T LoadParameters<T>()
    {
        var bytes = Bytes(ComponentWriter.ParametersEntry);
        try
        {
            return JsonSerializer.Deserialize<T>(bytes, ModelJson.Options) ?? throw Error("its parameters are empty");
        }
        catch (JsonException ex)
        {
            throw Error($"its parameters are not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a tensor map onto <paramref name="device"/>.</summary>
    public Dictionary<string, torch.Tensor> LoadTensors(string name, torch.Device? device = null)
    {
        try
        {
            return SafeTensors.Load(new MemoryStream(Bytes(name), writable: false), device);
        }
        catch (FormatException ex)
        {
            throw Error($"tensor entry '{name}' is not valid safetensors: {ex.Message}", ex);
        }
    }

    /// <summary>An exception that says which component of the model file is at fault and why.</summary>
    public InvalidDataException Error(string reason, Exception? inner = null) =>
        new($"The model file's component '{_entries.Directory}' ({_entries.LoaderSignature}) can't be loaded: {reason}.", inner);

    private byte[] Bytes(string name) =>
        _entries.Entries.TryGetValue(name, out var data) ? data : throw Error($"entry '{name}' is missing");
}
