using TorchSharp;
using System.Buffers.Binary;
using static TorchSharp.torch;

namespace MLRobust.Serialization;

/// <summary>Reads safetensors from a stream, treating it as hostile: every size that comes from the
/// header is checked against the bytes actually present before anything is allocated, and tensor
/// data is read straight into the tensors' native memory.</summary>
internal static class SafeTensorsReader
{
    private const int ChunkBytes = 1 << 26;

    /// <summary>Reads and validates the header, leaving the stream at the start of the data section.</summary>
    internal static SafeTensorsHeader ReadHeader(Stream stream, string source)
    {
        SafeTensors.CheckLittleEndian();
        if (!stream.CanRead) throw new ArgumentException("the stream is not readable", nameof(stream));
        if (!stream.CanSeek) throw new ArgumentException("the stream must be seekable (its length bounds every size in the header)", nameof(stream));
        var available = stream.Length - stream.Position;
        if (available < 8)
            throw new SafeTensorsFormatException($"{source}: it holds {available} bytes, too few for the 8-byte header length a safetensors file starts with");

        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength < 2)
            throw new SafeTensorsFormatException($"{source}: header length {headerLength} is too small (the smallest header, '{{}}', takes 2 bytes)");
        if (headerLength > SafeTensorsHeader.MaxHeaderLength)
            throw new SafeTensorsFormatException($"{source}: header length {headerLength} exceeds the {SafeTensorsHeader.MaxHeaderLength}-byte limit (not a safetensors file, or a corrupt one)");
        if ((long)headerLength > available - 8)
            throw new SafeTensorsFormatException($"{source}: header length {headerLength} exceeds the {available - 8} bytes that follow it (truncated file, or not a safetensors file)");

        var header = new byte[(int)headerLength];
        ReadExactly(stream, header, source, "the header");
        return SafeTensorsHeader.Parse(header, available - 8 - (long)headerLength, source);
    }

    internal static SafeTensorsFile Read(Stream stream, Device? device, string source)
    {
        var header = ReadHeader(stream, source);
        var byName = new Dictionary<string, Tensor>(header.Tensors.Count, StringComparer.Ordinal);
        try
        {
            // The header guarantees the tensors tile the data section, so one sequential pass reads them all.
            foreach (var info in header.Tensors.OrderBy(t => t.DataBegin).ThenBy(t => t.DataEnd))
            {
                var t = ReadTensor(stream, info, source);
                byName[info.Name] = t;
                if (device is not null && device.type != DeviceType.CPU)
                {
                    byName[info.Name] = t.to(device);
                    t.Dispose();
                }
            }
        }
        catch
        {
            foreach (var t in byName.Values) t.Dispose();
            throw;
        }

        // Hand the tensors out in name order.
        var ordered = new Dictionary<string, Tensor>(byName.Count, StringComparer.Ordinal);
        foreach (var info in header.Tensors) ordered.Add(info.Name, byName[info.Name]);
        return new SafeTensorsFile(ordered, header.Metadata);
    }

    private static Tensor ReadTensor(Stream stream, SafeTensorsTensorInfo info, string source)
    {
        var t = empty(info.Shape.ToArray(), info.ScalarType);
        try
        {
            if (info.ByteLength > 0)
            {
                // TorchSharp's Tensor.bytes is a span over the tensor's own CPU memory (no copy).
                var data = NativeBytes(t, info.Name);
                for (long done = 0; done < info.ByteLength; done += ChunkBytes)
                {
                    var n = (int)Math.Min(ChunkBytes, info.ByteLength - done);
                    ReadExactly(stream, data.Slice((int)done, n), source, $"tensor '{info.Name}'");
                }
                GC.KeepAlive(t);
            }
            return t;
        }
        catch
        {
            t.Dispose();
            throw;
        }
    }

    /// <summary>The bytes of a contiguous CPU tensor, in place.</summary>
    internal static Span<byte> NativeBytes(Tensor t, string name)
    {
        if (t.NumberOfElements * t.ElementSize > int.MaxValue)
            throw new NotSupportedException($"tensor '{name}' holds {t.NumberOfElements * t.ElementSize} bytes; tensors over 2 GiB are not supported");
        return t.bytes;
    }

    private static void ReadExactly(Stream stream, Span<byte> destination, string source, string what)
    {
        try
        {
            stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new SafeTensorsFormatException($"{source}: the data ended while reading {what} (the file is shorter than it was, or was truncated)", e);
        }
    }
}
