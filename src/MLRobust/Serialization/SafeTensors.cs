using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Serialization;

/// <summary>Reads and writes the safetensors format (https://github.com/huggingface/safetensors):
/// an 8-byte little-endian header length, a JSON header naming every tensor's dtype, shape and
/// data offsets (plus optional string <c>__metadata__</c>), then the raw little-endian data.
/// Tensors may live on any device and have any strides. Reading treats input as hostile and
/// reports every inconsistency as a <see cref="SafeTensorsFormatException"/>.</summary>
public static class SafeTensors
{
    /// <summary>The reserved header key that holds the string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    // ---- writing ----

    /// <summary>Writes the tensors (and optional metadata) to the stream at its current position.</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, Stream stream, IReadOnlyDictionary<string, string>? metadata = null)
        => SafeTensorsWriter.Write(tensors, stream, metadata);

    /// <summary>Writes a file atomically: a temporary file in the same folder, then a rename over
    /// <paramref name="path"/>, so readers never see a half-written file.</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no parent folder", nameof(path));
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"cannot save safetensors file '{path}': folder '{folder}' does not exist");
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                SafeTensorsWriter.Write(tensors, stream, metadata);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>The file's bytes in memory.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var size = SafeTensorsWriter.Measure(tensors, metadata);
        if (size > Array.MaxLength)
            throw new ArgumentException($"the tensors need {size} bytes, more than a .NET array holds; save to a stream or a file instead", nameof(tensors));
        using var memory = new MemoryStream((int)size);
        SafeTensorsWriter.Write(tensors, memory, metadata);
        return memory.GetBuffer().Length == memory.Length ? memory.GetBuffer() : memory.ToArray();
    }

    // ---- reading ----

    /// <summary>The tensors of a safetensors stream, by name, on <paramref name="device"/> (CPU by default).</summary>
    public static Dictionary<string, Tensor> Load(Stream stream, Device? device = null) => Read(stream, device).Tensors;

    /// <summary>The tensors of a safetensors file, by name, on <paramref name="device"/> (CPU by default).</summary>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null) => Read(path, device).Tensors;

    /// <summary>Tensors and metadata of a stream, read from its current position. A stream that
    /// cannot seek is buffered in memory first (its length bounds the sizes in the header).</summary>
    public static SafeTensorsFile Read(Stream stream, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek) return SafeTensorsReader.Read(stream, device, "safetensors stream");
        using var buffered = Buffer(stream);
        return SafeTensorsReader.Read(buffered, device, "safetensors stream");
    }

    public static SafeTensorsFile Read(string path, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return SafeTensorsReader.Read(stream, device, $"safetensors file '{path}'");
    }

    public static SafeTensorsFile Read(byte[] data, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream(data, writable: false);
        return SafeTensorsReader.Read(stream, device, "safetensors data");
    }

    /// <summary>Only the validated header (names, dtypes, shapes, offsets, metadata); no tensor is created.</summary>
    public static SafeTensorsHeader ReadHeader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek) return SafeTensorsReader.ReadHeader(stream, "safetensors stream");
        using var buffered = Buffer(stream);
        return SafeTensorsReader.ReadHeader(buffered, "safetensors stream");
    }

    public static SafeTensorsHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenRead(path);
        return SafeTensorsReader.ReadHeader(stream, $"safetensors file '{path}'");
    }

    public static SafeTensorsHeader ReadHeader(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream(data, writable: false);
        return SafeTensorsReader.ReadHeader(stream, "safetensors data");
    }

    private static FileStream OpenRead(string path)
        => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    private static MemoryStream Buffer(Stream stream)
    {
        if (!stream.CanRead) throw new ArgumentException("the stream is not readable", nameof(stream));
        var memory = new MemoryStream();
        stream.CopyTo(memory);
        memory.Position = 0;
        return memory;
    }

    internal static void CheckLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors stores little-endian data; big-endian machines are not supported");
    }
}
