using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace MLRobust.Fuzz;

/// <summary>Seeded mutations: truncation, flipped bits, extreme words, inserted and duplicated runs, extreme numbers in JSON
/// text, and for zip files the same mutations applied to one entry (so the archive itself still opens).</summary>
internal static class Mutator
{
    private static readonly string[] ExtremeNumbers = ["4294967295", "2147483647", "2147483648", "-1", "1e308", "-2147483648", "9007199254740993", "65536", "0", "3", "1.5", "NaN"];
    private static readonly Regex Number = new(@"(?<=[:\[,]\s*)-?\d+(\.\d+)?([eE][-+]?\d+)?", RegexOptions.Compiled);

    public static byte[] Bytes(byte[] original, Random random, out string how)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(7))
        {
            case 0:
                var length = random.Next(bytes.Length);
                how = $"truncated to {length}";
                return bytes[..length];
            case 1:
            case 2:
                var flips = 1 + random.Next(8);
                how = $"{flips} flipped bits";
                for (var i = 0; i < flips; i++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 3:
                var at = random.Next(Math.Max(1, bytes.Length - 4));
                uint word = random.Next(4) switch { 0 => 0xFFFFFFFF, 1 => 0x7FFFFFFF, 2 => 0x80000000, _ => 0 };
                how = $"word at {at} -> 0x{word:X8}";
                if (at + 4 <= bytes.Length) BitConverter.TryWriteBytes(bytes.AsSpan(at), word);
                return bytes;
            case 4:
                var start = random.Next(bytes.Length);
                var run = bytes.AsSpan(start, Math.Min(bytes.Length - start, 1 + random.Next(64))).ToArray();
                var times = 1 + random.Next(16);
                how = $"{run.Length} bytes at {start} repeated {times} times";
                return [.. bytes[..start], .. Enumerable.Repeat(run, times).SelectMany(r => r), .. bytes[start..]];
            case 5:
                var position = random.Next(bytes.Length);
                var noise = new byte[1 + random.Next(32)];
                random.NextBytes(noise);
                how = $"{noise.Length} random bytes at {position}";
                return [.. bytes[..position], .. noise, .. bytes[position..]];
            default:
                return JsonNumber(bytes, random, out how) ?? Bytes(original, random, out how);
        }
    }

    /// <summary>A number of the JSON text in <paramref name="bytes"/> (a whole .gltf or JSON file, or a GLB's JSON chunk) made extreme.</summary>
    private static byte[]? JsonNumber(byte[] bytes, Random random, out string how)
    {
        how = "";
        var glb = bytes.Length >= 20 && bytes[0] == 'g' && bytes[1] == 'l' && bytes[2] == 'T' && bytes[3] == 'F';
        int start = glb ? 20 : 0;
        int length = glb ? (int)Math.Min(BitConverter.ToUInt32(bytes, 12), (uint)(bytes.Length - 20)) : bytes.Length;
        if (!glb && (bytes.Length == 0 || (bytes[0] != '{' && bytes[0] != '['))) return null;
        var json = Encoding.UTF8.GetString(bytes, start, length);
        var numbers = Number.Matches(json);
        if (numbers.Count == 0) return null;
        var pick = numbers[random.Next(numbers.Count)];
        var replacement = ExtremeNumbers[random.Next(ExtremeNumbers.Length)];
        how = $"JSON number '{pick.Value}' at {pick.Index} -> {replacement}";
        var changed = Encoding.UTF8.GetBytes(json[..pick.Index] + replacement + json[(pick.Index + pick.Length)..]);
        if (!glb) return changed;
        var padded = changed.Length + (4 - changed.Length % 4) % 4;
        var result = new byte[bytes.Length - length + padded];
        bytes.AsSpan(0, 20).CopyTo(result);
        changed.CopyTo(result, 20);
        for (var i = 20 + changed.Length; i < 20 + padded; i++) result[i] = (byte)' ';
        bytes.AsSpan(20 + length).CopyTo(result.AsSpan(20 + padded));
        BitConverter.TryWriteBytes(result.AsSpan(12), (uint)padded);
        BitConverter.TryWriteBytes(result.AsSpan(8), (uint)result.Length);
        return result;
    }

    /// <summary>A zip whose entry (one picked at random) is mutated; one time in ten, the archive's raw bytes instead.</summary>
    public static byte[] Zip(byte[] original, Random random, out string how)
    {
        if (random.Next(10) == 0)
        {
            var raw = Bytes(original, random, out var rawHow);
            how = "archive: " + rawHow;
            return raw;
        }
        using var input = new ZipArchive(new MemoryStream(original), ZipArchiveMode.Read);
        var entries = input.Entries.Select(e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return (e.FullName, Bytes: m.ToArray());
        }).ToList();
        how = "";
        var index = random.Next(entries.Count);
        var (name, content) = entries[index];
        entries[index] = (name, content.Length == 0 ? content : Bytes(content, random, out how));
        how = $"{name}: {(content.Length == 0 ? "empty" : how)}";
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (entryName, bytes) in entries)
            {
                using var s = zip.CreateEntry(entryName, CompressionLevel.Fastest).Open();
                s.Write(bytes);
            }
        return output.ToArray();
    }
}
