using System.Text.Json;
using MLRobust.Serialization;
using TorchSharp;

namespace MLRobust.ML;

/// <summary>
/// Where a component writes itself when a model is saved: its signature and version, then named entries
/// (JSON parameters, text, binary streams, tensor maps as safetensors) and nested components.
/// </summary>
public sealed class ModelSaveContext
{
    internal const string ComponentEntry = "component.json";
    internal const string ParametersEntry = "parameters.json";

    private readonly List<(string Name, byte[] Data)> _entries;
    private readonly HashSet<string> _names;
    private readonly int _depth;

    internal ModelSaveContext(List<(string Name, byte[] Data)> entries, HashSet<string> names, string directory, int depth)
    {
        _entries = entries;
        _names = names;
        Directory = directory;
        _depth = depth;
    }

    /// <summary>This component's folder in the archive, e.g. <c>Model/Transform_001/</c>.</summary>
    public string Directory { get; }

    internal string? LoaderSignature { get; private set; }

    /// <summary>Names the loader (see <see cref="ModelComponentAttribute"/>) and the format version of this component; call it once, first.</summary>
    public void SetComponent(string loaderSignature, int version)
    {
        ArgumentException.ThrowIfNullOrEmpty(loaderSignature);
        if (version < 1) throw new ArgumentOutOfRangeException(nameof(version), version, "Component versions start at 1.");
        if (LoaderSignature != null) throw new InvalidOperationException($"SetComponent was already called for '{LoaderSignature}' in '{Directory}'.");
        LoaderSignature = loaderSignature;
        Add(ComponentEntry, JsonSerializer.SerializeToUtf8Bytes(new ComponentInfo(loaderSignature, version), ModelJson.Options), reserved: true);
    }

    /// <summary>Writes <paramref name="parameters"/> as JSON (public properties and fields).</summary>
    public void SaveParameters<T>(T parameters) =>
        Add(ParametersEntry, JsonSerializer.SerializeToUtf8Bytes(parameters, ModelJson.Options), reserved: true);

    public void SaveText(string name, string text) => Add(name, System.Text.Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))));

    public void SaveBytes(string name, ReadOnlySpan<byte> bytes) => Add(name, bytes.ToArray());

    /// <summary>Writes a binary entry through a <see cref="BinaryWriter"/> (ML.NET's SaveBinaryStream).</summary>
    public void SaveBinaryStream(string name, Action<BinaryWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) write(writer);
        Add(name, buffer.ToArray());
    }

    /// <summary>Writes named tensors (any device) as one safetensors entry.</summary>
    public void SaveTensors(string name, IReadOnlyDictionary<string, torch.Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Add(name, SafeTensors.Serialize(tensors));
    }

    /// <summary>Writes a nested component into the sub-folder <paramref name="name"/>.</summary>
    public void SaveModel(ICanSaveModel component, string name)
    {
        ArgumentNullException.ThrowIfNull(component);
        CheckName(name);
        if (_depth >= ModelLoadLimits.Default.MaxNesting) throw new InvalidOperationException($"Components are nested more than {ModelLoadLimits.Default.MaxNesting} deep.");
        var child = new ModelSaveContext(_entries, _names, $"{Directory}{name}/", _depth + 1);
        component.Save(child);
        if (child.LoaderSignature is null)
            throw new InvalidOperationException($"{component.GetType().FullName}.Save did not call ctx.SetComponent, so it could not be loaded back.");
    }

    private void Add(string name, byte[] data, bool reserved = false)
    {
        if (!reserved) CheckName(name);
        if (!reserved && name is ComponentEntry or ParametersEntry)
            throw new ArgumentException($"Entry name '{name}' is reserved.", nameof(name));
        var full = Directory + name;
        if (!_names.Add(full)) throw new InvalidOperationException($"Model entry '{full}' was written twice.");
        _entries.Add((full, data));
    }

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/') || !ModelArchive.IsValidEntryName(name))
            throw new ArgumentException($"Model entry name '{name}' may only hold letters, digits, '_', '-' and '.'.", nameof(name));
    }

    internal sealed record ComponentInfo(string Signature, int Version);
}
