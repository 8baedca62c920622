using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MLRobust.ML;

/// <summary>
/// The model file container: a zip whose first entry, <c>mlrobust-model.json</c>, names the format, its version
/// and the size and SHA-256 of every other entry. Reading checks all of it before anything is deserialized.
/// </summary>
internal static partial class ModelArchive
{
    internal const string ManifestName = "mlrobust-model.json";
    internal const string FormatName = "MLRobust.Model";
    internal const int FormatVersion = 1;
    private const long MaxManifestBytes = 64L << 20;

    [GeneratedRegex("^[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*$")]
    private static partial Regex EntryNamePattern();

    internal static bool IsValidEntryName(string name) =>
        EntryNamePattern().IsMatch(name) && !name.Split('/').Any(p => p is "." or "..");

    internal sealed record ManifestEntry(string Name, long Size, string Sha256);

    internal sealed record Manifest(string Format, int FormatVersion, string Writer, ManifestEntry[] Entries);

    internal static void Write(Stream stream, IReadOnlyList<(string Name, byte[] Data)> entries)
    {
        var manifest = new Manifest(FormatName, FormatVersion, $"MLRobust.Data {typeof(ModelArchive).Assembly.GetName().Version}",
            entries.Select(e => new ManifestEntry(e.Name, e.Data.LongLength, Convert.ToHexString(SHA256.HashData(e.Data)))).ToArray());
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, ManifestName, JsonSerializer.SerializeToUtf8Bytes(manifest, ModelJson.Options));
        foreach (var (name, data) in entries) WriteEntry(zip, name, data);
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] data)
    {
        var entry = zip.CreateEntry(name, data.Length > (1 << 20) ? CompressionLevel.Fastest : CompressionLevel.Optimal);
        entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var s = entry.Open();
        s.Write(data);
    }

    /// <summary>Reads and verifies every entry; returns them by name.</summary>
    internal static Dictionary<string, byte[]> Read(Stream stream, string source, ModelLoadLimits limits)
    {
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            CopyBounded(stream, copy, limits.MaxTotalBytes + (64L << 20), source);
            copy.Position = 0;
            stream = copy;
        }
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelFormatException($"Model file '{source}' is not a model zip or is truncated: {ex.Message}", ex);
        }
        using (zip)
        {
            if (zip.Entries.Count > limits.MaxEntries)
                throw new ModelFormatException($"Model file '{source}' has {zip.Entries.Count} entries, more than the {limits.MaxEntries} allowed.");
            var byName = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (!byName.TryAdd(entry.FullName, entry))
                    throw new ModelFormatException($"Model file '{source}' holds entry '{entry.FullName}' twice (tampered).");
            }
            if (!byName.TryGetValue(ManifestName, out var manifestEntry))
                throw new ModelFormatException($"Model file '{source}' has no '{ManifestName}': it is not an MLRobust model.");
            var manifest = ParseManifest(ReadEntry(manifestEntry, MaxManifestBytes, source), source);
            if (manifest.Entries.Length + 1 != byName.Count)
                throw new ModelFormatException($"Model file '{source}' holds {byName.Count - 1} entries but its manifest lists {manifest.Entries.Length} (tampered).");

            var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var listed in manifest.Entries)
            {
                if (listed is null || listed.Name is null || listed.Sha256 is null || !IsValidEntryName(listed.Name))
                    throw new ModelFormatException($"Model file '{source}' has a malformed manifest entry.");
                if (!byName.TryGetValue(listed.Name, out var entry) || listed.Name == ManifestName)
                    throw new ModelFormatException($"Model file '{source}' is missing entry '{listed.Name}' that its manifest lists (truncated or tampered).");
                if (listed.Size < 0 || listed.Size > limits.MaxEntryBytes)
                    throw new ModelFormatException($"Model file '{source}': entry '{listed.Name}' claims {listed.Size} bytes, more than the {limits.MaxEntryBytes} allowed.");
                total += listed.Size;
                if (total > limits.MaxTotalBytes)
                    throw new ModelFormatException($"Model file '{source}' holds more than the {limits.MaxTotalBytes} bytes allowed in all.");
                if (entry.Length != listed.Size)
                    throw new ModelFormatException($"Model file '{source}': entry '{listed.Name}' is {entry.Length} bytes but the manifest says {listed.Size} (tampered).");
                var data = ReadEntry(entry, listed.Size, source);
                if (data.LongLength != listed.Size || !string.Equals(Convert.ToHexString(SHA256.HashData(data)), listed.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw new ModelFormatException($"Model file '{source}': entry '{listed.Name}' does not match its checksum (tampered or damaged).");
                result.Add(listed.Name, data);
            }
            return result;
        }
    }

    private static Manifest ParseManifest(byte[] data, string source)
    {
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(data, ModelJson.Options);
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException($"Model file '{source}' has an unreadable manifest: {ex.Message}", ex);
        }
        if (manifest is null || manifest.Format != FormatName || manifest.Entries is null)
            throw new ModelFormatException($"Model file '{source}' is not an MLRobust model (format '{manifest?.Format}').");
        if (manifest.FormatVersion > FormatVersion)
            throw new ModelFormatException($"Model file '{source}' has format version {manifest.FormatVersion}, written by a newer MLRobust ({manifest.Writer}); this version reads up to {FormatVersion}.");
        if (manifest.FormatVersion < 1)
            throw new ModelFormatException($"Model file '{source}' has an invalid format version {manifest.FormatVersion}.");
        return manifest;
    }

    // Reads at most maxBytes, failing if the entry inflates to more: the zip's declared size may lie.
    private static byte[] ReadEntry(ZipArchiveEntry entry, long maxBytes, string source)
    {
        if (entry.Length > maxBytes)
            throw new ModelFormatException($"Model file '{source}': entry '{entry.FullName}' is {entry.Length} bytes, more than the {maxBytes} allowed.");
        try
        {
            using var s = entry.Open();
            var buffer = new byte[entry.Length];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = s.Read(buffer, read, buffer.Length - read);
                if (n == 0) throw new ModelFormatException($"Model file '{source}': entry '{entry.FullName}' is shorter than declared (truncated).");
                read += n;
            }
            if (s.ReadByte() >= 0) throw new ModelFormatException($"Model file '{source}': entry '{entry.FullName}' inflates beyond its declared size (tampered).");
            return buffer;
        }
        catch (InvalidDataException ex)
        {
            throw new ModelFormatException($"Model file '{source}': entry '{entry.FullName}' is damaged: {ex.Message}", ex);
        }
    }

    private static void CopyBounded(Stream from, Stream to, long maxBytes, string source)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = from.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += n;
            if (total > maxBytes) throw new ModelFormatException($"Model '{source}' is larger than the {maxBytes} bytes allowed.");
            to.Write(buffer, 0, n);
        }
    }
}
