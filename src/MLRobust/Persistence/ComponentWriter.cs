using System.Text.Json;
using Microsoft.ML;
using MLRobust.Serialization;
using TorchSharp;

namespace MLRobust.Persistence;

/// <summary>
/// What one MLRobust component writes into an ML.NET model file: JSON parameters and tensor maps (safetensors), each a
/// zip entry of its own beside the component's manifest (see <see cref="MLNetPersistence"/>).
/// </summary>
internal sealed class ComponentWriter
{
    internal const string ParametersEntry = "parameters.json";

    private readonly Dictionary<string, byte[]> _entries = new(StringComparer.Ordinal);

    public ComponentWriter(string loaderSignature, int version)
    {
        ArgumentException.ThrowIfNullOrEmpty(loaderSignature);
        if (version < 1) throw new ArgumentOutOfRangeException(nameof(version), version, "Component versions start at 1.");
        LoaderSignature = loaderSignature;
        Version = version;
    }

    public string LoaderSignature { get; }
    public int Version { get; }

    /// <summary>Writes <paramref name="parameters"/> as JSON (public properties and fields).</summary>
    public void SaveParameters<T>(T parameters) => Add(ParametersEntry, JsonSerializer.SerializeToUtf8Bytes(parameters, ModelJson.Options));

    /// <summary>Writes named tensors (any device) as one safetensors entry.</summary>
    public void SaveTensors(string name, IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Add(name, SafeTensors.Serialize(tensors));
    }

    /// <summary>Writes the component into the model file ML.NET is saving.</summary>
    public void WriteTo(ModelSaveContext ctx, Type loaderType)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        MLNetPersistence.Save(ctx, LoaderSignature, (uint)Version, loaderType, _entries);
    }

    private void Add(string name, byte[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_entries.TryAdd(name, data)) throw new InvalidOperationException($"Entry '{name}' was already written.");
    }
}
