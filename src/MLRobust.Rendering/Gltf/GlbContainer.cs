using System.Buffers.Binary;

namespace MLRobust.Rendering.Gltf;

/// <summary>
/// The binary glTF container: a 12-byte header, a JSON chunk, an optional BIN chunk, and
/// unknown chunks that readers skip. All fields little-endian, chunks 4-byte aligned.
/// </summary>
internal static class GlbContainer
{
    public const uint Magic = 0x46546C67;      // "glTF"
    public const uint JsonChunkType = 0x4E4F534A; // "JSON"
    public const uint BinChunkType = 0x004E4942;  // "BIN\0"

    public static bool LooksLikeGlb(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == Magic;

    /// <summary>Splits a .glb into its JSON text and BIN payload, checking every length.</summary>
    public static (ReadOnlyMemory<byte> Json, ReadOnlyMemory<byte>? Bin) Split(ReadOnlyMemory<byte> file, string source)
    {
        var bytes = file.Span;
        if (bytes.Length < 12)
            throw new GltfException($"{source}: GLB header: the file has {bytes.Length} bytes, fewer than the 12-byte header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
            throw new GltfException($"{source}: GLB header: bad magic number (expected \"glTF\")");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (version != 2)
            throw new GltfException($"{source}: GLB header: container version {version} is not supported (expected 2)");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (length != bytes.Length)
            throw new GltfException($"{source}: GLB header: declared length {length} differs from the file's {bytes.Length} bytes");

        ReadOnlyMemory<byte>? json = null, bin = null;
        long offset = 12;
        int chunkIndex = 0;
        while (offset < bytes.Length)
        {
            if (bytes.Length - offset < 8)
                throw new GltfException($"{source}: GLB chunk {chunkIndex} at byte {offset}: truncated chunk header");
            uint chunkLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(int)offset..]);
            uint chunkType = BinaryPrimitives.ReadUInt32LittleEndian(bytes[((int)offset + 4)..]);
            long dataStart = offset + 8;
            if (chunkLength > bytes.Length - dataStart)
                throw new GltfException($"{source}: GLB chunk {chunkIndex} at byte {offset}: length {chunkLength} runs past the end of the file");
            if (chunkLength % 4 != 0)
                throw new GltfException($"{source}: GLB chunk {chunkIndex} at byte {offset}: length {chunkLength} is not a multiple of 4");
            var data = file.Slice((int)dataStart, (int)chunkLength);
            if (chunkIndex == 0)
            {
                if (chunkType != JsonChunkType)
                    throw new GltfException($"{source}: GLB chunk 0: the first chunk must be JSON (type 0x{chunkType:X8})");
                json = data;
            }
            else if (chunkType == JsonChunkType)
                throw new GltfException($"{source}: GLB chunk {chunkIndex}: a second JSON chunk");
            else if (chunkType == BinChunkType)
            {
                if (chunkIndex != 1)
                    throw new GltfException($"{source}: GLB chunk {chunkIndex}: the BIN chunk must directly follow the JSON chunk");
                bin = data;
            }
            // Unknown chunk types are skipped, as the specification asks.
            offset = dataStart + chunkLength;
            chunkIndex++;
        }
        if (json is null)
            throw new GltfException($"{source}: GLB: no JSON chunk");
        return (json.Value, bin);
    }

    /// <summary>Builds a .glb from JSON text (space-padded) and a binary payload (zero-padded).</summary>
    public static byte[] Join(ReadOnlySpan<byte> json, ReadOnlySpan<byte> bin)
    {
        int jsonPadded = (json.Length + 3) & ~3;
        int binPadded = (bin.Length + 3) & ~3;
        int total = 12 + 8 + jsonPadded + (bin.Length > 0 ? 8 + binPadded : 0);
        var result = new byte[total];
        var span = result.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 2);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)jsonPadded);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], JsonChunkType);
        json.CopyTo(span[20..]);
        span.Slice(20 + json.Length, jsonPadded - json.Length).Fill(0x20);
        if (bin.Length > 0)
        {
            int at = 20 + jsonPadded;
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)binPadded);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], BinChunkType);
            bin.CopyTo(span[(at + 8)..]);
        }
        return result;
    }
}
