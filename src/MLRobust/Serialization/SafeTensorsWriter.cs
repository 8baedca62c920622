using TorchSharp;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using static TorchSharp.torch;

namespace MLRobust.Serialization;

/// <summary>Writes the safetensors layout: u64 header length, JSON header padded with spaces to a
/// multiple of 8, then every tensor's bytes. Data is laid out by element size (largest first), then
/// name, as the reference implementation does, so every tensor is naturally aligned; JSON keys are
/// sorted by name.</summary>
internal static class SafeTensorsWriter
{
    private const int ChunkBytes = 1 << 26;

    private sealed record Entry(string Name, Tensor Tensor, string Code, ScalarType Type, long[] Shape, long ByteLength)
    {
        internal long Begin { get; set; }
    }

    internal static long Write(IReadOnlyDictionary<string, Tensor> tensors, Stream stream, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("the stream is not writable", nameof(stream));
        SafeTensors.CheckLittleEndian();

        var (entries, header) = Plan(tensors, metadata);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        long total = 8 + header.Length;
        foreach (var e in entries)
        {
            WriteData(e, stream);
            total += e.ByteLength;
        }
        return total;
    }

    /// <summary>Total size of the file that <see cref="Write"/> would produce.</summary>
    internal static long Measure(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var (entries, header) = Plan(tensors, metadata);
        return 8 + header.Length + entries.Sum(e => e.ByteLength);
    }

    private static (List<Entry> Entries, byte[] Header) Plan(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var entries = new List<Entry>(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            if (name is null) throw new ArgumentException("a tensor name is null", nameof(tensors));
            if (name == SafeTensors.MetadataKey) throw new ArgumentException($"'{SafeTensors.MetadataKey}' is reserved for metadata and cannot name a tensor", nameof(tensors));
            if (tensor is null) throw new ArgumentNullException(nameof(tensors), $"tensor '{name}' is null");
            var type = tensor.dtype;
            var code = SafeTensorsDType.CodeOf(type)
                ?? throw new ArgumentException($"tensor '{name}' has dtype {type}, which safetensors cannot store (supported: {SafeTensorsDType.SupportedList})", nameof(tensors));
            entries.Add(new Entry(name, tensor, code, type, tensor.shape, tensor.numel() * type.ElementSize()));
        }

        entries.Sort((a, b) =>
        {
            var bySize = b.Type.ElementSize().CompareTo(a.Type.ElementSize());
            return bySize != 0 ? bySize : string.CompareOrdinal(a.Name, b.Name);
        });
        long offset = 0;
        foreach (var e in entries)
        {
            e.Begin = offset;
            offset += e.ByteLength;
        }

        return (entries, Header(entries, metadata));
    }

    private static byte[] Header(List<Entry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject(SafeTensors.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (key is null) throw new ArgumentException("a metadata key is null", nameof(metadata));
                    w.WriteString(key, value ?? throw new ArgumentNullException(nameof(metadata), $"metadata value for '{key}' is null"));
                }
                w.WriteEndObject();
            }
            foreach (var e in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", e.Code);
                w.WriteStartArray("shape");
                foreach (var d in e.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(e.Begin);
                w.WriteNumberValue(e.Begin + e.ByteLength);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var padding = (int)((8 - json.Length % 8) % 8);
        for (var k = 0; k < padding; k++) json.WriteByte((byte)' ');
        return json.ToArray();
    }

    /// <summary>Streams a tensor's bytes straight from native memory: a contiguous CPU tensor as it is,
    /// anything else (other strides, other devices) through one contiguous CPU copy.</summary>
    private static void WriteData(Entry e, Stream stream)
    {
        if (e.ByteLength == 0) return;
        var source = e.Tensor;
        Tensor? copy = null;
        try
        {
            if (source.device_type != DeviceType.CPU || !source.is_contiguous())
            {
                using var detached = source.detach();
                using var onCpu = detached.device_type == DeviceType.CPU ? detached.alias() : detached.to(CPU);
                source = copy = onCpu.contiguous();
            }
            var data = SafeTensorsReader.NativeBytes(source, e.Name);
            for (long done = 0; done < e.ByteLength; done += ChunkBytes)
            {
                var n = (int)Math.Min(ChunkBytes, e.ByteLength - done);
                stream.Write(data.Slice((int)done, n));
            }
            GC.KeepAlive(source);
        }
        finally
        {
            copy?.Dispose();
        }
    }
}
