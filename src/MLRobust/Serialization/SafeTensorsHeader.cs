using TorchSharp;
using static TorchSharp.torch;
using System.Text.Json;
using System.Text.Unicode;

namespace MLRobust.Serialization;

/// <summary>The validated header of a safetensors file: every tensor's dtype, shape and place in
/// the data section, and the free-form string metadata.</summary>
public sealed class SafeTensorsHeader
{
    /// <summary>The largest header this reader accepts, as the reference implementation does.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>The most dimensions a tensor may have (what the tensor API reads back).</summary>
    public const int MaxDimensions = 64;

    internal SafeTensorsHeader(IReadOnlyList<SafeTensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata, long headerLength, long dataLength)
    {
        Tensors = tensors;
        Metadata = metadata;
        HeaderLength = headerLength;
        DataLength = dataLength;
    }

    /// <summary>The tensor entries, ordered by name (ordinal).</summary>
    public IReadOnlyList<SafeTensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Length in bytes of the JSON header (including its padding).</summary>
    public long HeaderLength { get; }

    /// <summary>Length in bytes of the data section that follows the header.</summary>
    public long DataLength { get; }

    /// <summary>Parses and checks the header JSON against a data section of <paramref name="dataLength"/>
    /// bytes. Every problem becomes a <see cref="SafeTensorsFormatException"/> that names
    /// <paramref name="source"/> and the tensor concerned.</summary>
    internal static SafeTensorsHeader Parse(ReadOnlyMemory<byte> json, long dataLength, string source)
    {
        SafeTensorsFormatException Fail(string problem) => new($"{source}: {problem}");

        if (!Utf8.IsValid(json.Span)) throw Fail("the header is not valid UTF-8");
        // The format requires the JSON to start right away, which also rules out other formats early.
        if (json.Span[0] != (byte)'{') throw Fail($"the header must start with '{{', but it starts with byte 0x{json.Span[0]:X2} (not a safetensors file?)");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException($"{source}: the header is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement; // an object: it starts with '{' and parsed

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var tensors = new List<SafeTensorsTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Fail(property.Name == SafeTensors.MetadataKey ? "the header has two __metadata__ entries" : $"tensor '{property.Name}' appears twice in the header");
                if (property.Name == SafeTensors.MetadataKey) ReadMetadata(property.Value, metadata, Fail);
                else tensors.Add(ReadTensor(property.Name, property.Value, dataLength, Fail));
            }

            CheckCoverage(tensors, dataLength, Fail);
            tensors.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            return new SafeTensorsHeader(tensors, metadata, json.Length, dataLength);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, Func<string, SafeTensorsFormatException> fail)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw fail($"__metadata__ must be an object of string values, but it is a JSON {Kind(value)}");
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw fail($"__metadata__ entry '{entry.Name}' must be a string, but it is a JSON {Kind(entry.Value)}");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw fail($"__metadata__ entry '{entry.Name}' appears twice");
        }
    }

    private static SafeTensorsTensorInfo ReadTensor(string name, JsonElement value, long dataLength, Func<string, SafeTensorsFormatException> fail)
    {
        SafeTensorsFormatException Bad(string problem) => fail($"tensor '{name}': {problem}");

        if (value.ValueKind != JsonValueKind.Object)
            throw Bad($"the entry must be an object with dtype, shape and data_offsets, but it is a JSON {Kind(value)}");

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (var field in value.EnumerateObject())
        {
            ref JsonElement? slot = ref dtypeElement;
            switch (field.Name)
            {
                case "dtype": slot = ref dtypeElement; break;
                case "shape": slot = ref shapeElement; break;
                case "data_offsets": slot = ref offsetsElement; break;
                default: throw Bad($"unexpected field '{field.Name}' (expected dtype, shape and data_offsets)");
            }
            if (slot.HasValue) throw Bad($"field '{field.Name}' appears twice");
            slot = field.Value;
        }
        if (dtypeElement is not { } dtypeValue) throw Bad("the dtype field is missing");
        if (shapeElement is not { } shapeValue) throw Bad("the shape field is missing");
        if (offsetsElement is not { } offsetsValue) throw Bad("the data_offsets field is missing");

        if (dtypeValue.ValueKind != JsonValueKind.String) throw Bad($"dtype must be a string, but it is a JSON {Kind(dtypeValue)}");
        var code = dtypeValue.GetString()!;
        if (!SafeTensorsDType.TryParse(code, out var type, out var dtypeProblem)) throw Bad(dtypeProblem);

        var shape = ReadIntegers(shapeValue, "shape", Bad);
        if (shape.Length > MaxDimensions) throw Bad($"shape has {shape.Length} dimensions; at most {MaxDimensions} are supported");
        // Every partial product must fit, zero dimensions aside, so that no allocation size can overflow.
        long nonZeroProduct = 1;
        var hasZero = false;
        try
        {
            foreach (var d in shape)
            {
                if (d == 0) hasZero = true;
                else nonZeroProduct = checked(nonZeroProduct * d);
            }
            _ = checked(nonZeroProduct * type.ElementSize());
        }
        catch (OverflowException)
        {
            throw Bad($"shape [{string.Join(", ", shape)}] holds more elements than a tensor can address");
        }
        var byteLength = hasZero ? 0 : nonZeroProduct * type.ElementSize();

        var offsets = ReadIntegers(offsetsValue, "data_offsets", Bad);
        if (offsets.Length != 2) throw Bad($"data_offsets must hold exactly two integers [begin, end], but it holds {offsets.Length}");
        var (begin, end) = (offsets[0], offsets[1]);
        if (begin > end) throw Bad($"data_offsets [{begin}, {end}] end before they begin");
        if (end > dataLength) throw Bad($"data_offsets [{begin}, {end}] reach past the end of the data section, which holds {dataLength} bytes (truncated file?)");
        if (end - begin != byteLength)
            throw Bad($"shape [{string.Join(", ", shape)}] of dtype {code} needs {byteLength} bytes, but data_offsets [{begin}, {end}] span {end - begin}");

        return new SafeTensorsTensorInfo(name, code, type, shape, begin, end);
    }

    private static long[] ReadIntegers(JsonElement value, string field, Func<string, SafeTensorsFormatException> bad)
    {
        if (value.ValueKind != JsonValueKind.Array) throw bad($"{field} must be an array of integers, but it is a JSON {Kind(value)}");
        var result = new long[value.GetArrayLength()];
        var k = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0)
                throw bad($"{field}[{k}] must be a non-negative 64-bit integer, but it is {item.GetRawText()}");
            result[k++] = v;
        }
        return result;
    }

    /// <summary>The spec requires the tensors to tile the data section exactly: no overlaps, no gaps,
    /// no trailing bytes.</summary>
    private static void CheckCoverage(List<SafeTensorsTensorInfo> tensors, long dataLength, Func<string, SafeTensorsFormatException> fail)
    {
        var ordered = tensors.OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        long covered = 0;
        SafeTensorsTensorInfo? previous = null;
        foreach (var t in ordered)
        {
            if (t.DataBegin < covered)
                throw fail($"tensor '{t.Name}': data_offsets [{t.DataBegin}, {t.DataEnd}] overlap those of tensor '{previous!.Name}' [{previous.DataBegin}, {previous.DataEnd}]");
            if (t.DataBegin > covered)
                throw fail($"tensor '{t.Name}': data_offsets [{t.DataBegin}, {t.DataEnd}] leave bytes [{covered}, {t.DataBegin}) of the data section unused by any tensor");
            covered = t.DataEnd;
            previous = t;
        }
        if (covered != dataLength)
            throw fail($"the data section holds {dataLength} bytes but the tensors cover only the first {covered} (trailing bytes after the last tensor)");
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var k => k.ToString().ToLowerInvariant(),
    };
}
