using System.Text.Json;

namespace MLRobust.Rendering.Gltf;

/// <summary>
/// A parsed glTF JSON tree with its buffers, shared by the stages of reading: it resolves buffers
/// and buffer views with every offset and length checked, and meters decoded data against the budget.
/// </summary>
internal sealed class GltfDocument : IDisposable
{
    /// <summary>Extensions whose "required" use the reader honours.</summary>
    public static readonly IReadOnlySet<string> SupportedRequiredExtensions = new HashSet<string> { "KHR_mesh_quantization" };

    private readonly JsonDocument _json;
    private readonly string? _baseDirectory;
    private readonly ReadOnlyMemory<byte>? _glbBin;
    private readonly ReadOnlyMemory<byte>?[] _bufferData;
    private long _budget;

    public GltfDocument(ReadOnlyMemory<byte> jsonBytes, ReadOnlyMemory<byte>? glbBin, string source, string? baseDirectory, GltfReaderOptions options)
    {
        Source = source;
        Options = options;
        _baseDirectory = baseDirectory;
        _glbBin = glbBin;
        _budget = options.MaxElements;
        var text = jsonBytes;
        if (text.Length >= 3 && text.Span[0] == 0xEF && text.Span[1] == 0xBB && text.Span[2] == 0xBF)
            text = text[3..];
        // JsonDocument checks UTF-8 only when a string is read, which would surface later as an InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(text.Span))
            throw new GltfException($"{source}: the JSON is not valid UTF-8");
        try
        {
            _json = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new GltfException($"{source}: the JSON is malformed (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new GltfException($"{source}: the JSON is malformed: {e.Message}", e);
        }
        Root = new GltfJson(_json.RootElement, "", source);
        Root.CheckCommonProperties();
        CheckAsset();
        ExtensionsUsed = Root.StringArray("extensionsUsed");
        foreach (var ext in Root.StringArray("extensionsRequired"))
            if (!SupportedRequiredExtensions.Contains(ext))
                throw Root.ErrorAt("extensionsRequired", $"the file requires extension {ext}, which MLRobust does not support");
        Quantized = ExtensionsUsed.Contains("KHR_mesh_quantization");

        Buffers = Root.ObjectArray("buffers");
        BufferViews = Root.ObjectArray("bufferViews");
        Accessors = Root.ObjectArray("accessors");
        Meshes = Root.ObjectArray("meshes");
        Nodes = Root.ObjectArray("nodes");
        Materials = Root.ObjectArray("materials");
        Textures = Root.ObjectArray("textures");
        Images = Root.ObjectArray("images");
        Samplers = Root.ObjectArray("samplers");
        Scenes = Root.ObjectArray("scenes");
        _bufferData = new ReadOnlyMemory<byte>?[Buffers.Count];
    }

    public string Source { get; }
    /// <summary>The folder relative URIs resolve against; null for a model read from memory.</summary>
    public string? BaseDirectory => _baseDirectory;
    public GltfReaderOptions Options { get; }
    public GltfJson Root { get; }
    public string[] ExtensionsUsed { get; }
    /// <summary>KHR_mesh_quantization allows integer vertex attributes.</summary>
    public bool Quantized { get; }
    public List<GltfJson> Buffers { get; }
    public List<GltfJson> BufferViews { get; }
    public List<GltfJson> Accessors { get; }
    public List<GltfJson> Meshes { get; }
    public List<GltfJson> Nodes { get; }
    public List<GltfJson> Materials { get; }
    public List<GltfJson> Textures { get; }
    public List<GltfJson> Images { get; }
    public List<GltfJson> Samplers { get; }
    public List<GltfJson> Scenes { get; }

    public void Dispose() => _json.Dispose();

    /// <summary>Charges <paramref name="elements"/> decoded numbers to the budget, refusing the file when it runs out.</summary>
    public void Spend(long elements, GltfJson where)
    {
        if (elements < 0 || elements > _budget)
            throw where.Error($"the file decodes to more than {Options.MaxElements} numbers (GltfReaderOptions.MaxElements); refusing it");
        _budget -= elements;
    }

    private void CheckAsset()
    {
        var asset = Root.RequiredObject("asset");
        var version = asset.RequiredString("version");
        if (!TryParseVersion(version, out var major, out _))
            throw asset.ErrorAt("version", $"\"{version}\" is not a version of the form major.minor");
        var minVersion = asset.OptionalString("minVersion");
        if (minVersion is not null)
        {
            if (!TryParseVersion(minVersion, out var minMajor, out var minMinor))
                throw asset.ErrorAt("minVersion", $"\"{minVersion}\" is not a version of the form major.minor");
            if (minMajor != 2 || minMinor > 0)
                throw asset.ErrorAt("minVersion", $"the file needs glTF {minVersion}; MLRobust reads glTF 2.0");
        }
        else if (major != 2)
            throw asset.ErrorAt("version", $"glTF {version} is not supported; MLRobust reads glTF 2.x");
    }

    private static bool TryParseVersion(string text, out int major, out int minor)
    {
        major = minor = 0;
        var parts = text.Split('.');
        return parts.Length == 2 && int.TryParse(parts[0], out major) && int.TryParse(parts[1], out minor) && major >= 0 && minor >= 0;
    }

    /// <summary>The bytes of buffer <paramref name="index"/>, exactly byteLength long.</summary>
    public ReadOnlyMemory<byte> Buffer(int index)
    {
        if (_bufferData[index] is { } cached) return cached;
        var buffer = Buffers[index];
        long byteLength = buffer.RequiredInteger("byteLength", 1);
        var uri = buffer.OptionalString("uri");
        ReadOnlyMemory<byte> data;
        if (uri is null)
        {
            if (index != 0 || _glbBin is null)
                throw buffer.Error("the buffer has no uri, which only buffer 0 of a .glb with a BIN chunk may do");
            var bin = _glbBin.Value;
            if (bin.Length < byteLength || bin.Length > byteLength + 3)
                throw buffer.ErrorAt("byteLength", $"{byteLength} does not match the GLB BIN chunk of {bin.Length} bytes");
            data = bin[..(int)byteLength];
        }
        else
        {
            data = GltfUris.Load(uri, byteLength, _baseDirectory, buffer, "uri", isImage: false);
            if (data.Length < byteLength)
                throw buffer.ErrorAt("byteLength", $"{byteLength} is more than the {data.Length} bytes the uri holds");
            data = data[..(int)byteLength];
        }
        _bufferData[index] = data;
        return data;
    }

    /// <summary>The checked bytes of buffer view <paramref name="index"/> and its byteStride (0 when absent).</summary>
    public (ReadOnlyMemory<byte> Bytes, int ByteStride) BufferView(int index)
    {
        var view = BufferViews[index];
        int bufferIndex = view.RequiredIndex("buffer", Buffers.Count, "buffers");
        long byteOffset = view.OptionalInteger("byteOffset", 0, 0);
        long byteLength = view.RequiredInteger("byteLength", 1);
        int byteStride = (int)view.OptionalInteger("byteStride", 0, 4, 252);
        if (view.Has("byteStride") && byteStride % 4 != 0)
            throw view.ErrorAt("byteStride", $"{byteStride} is not a multiple of 4");
        var buffer = Buffer(bufferIndex);
        if (byteOffset > buffer.Length || byteLength > buffer.Length - byteOffset)
            throw view.Error($"bytes [{byteOffset}, {byteOffset + byteLength}) do not fit buffer {bufferIndex} of {buffer.Length} bytes");
        return (buffer.Slice((int)byteOffset, (int)byteLength), byteStride);
    }
}
