namespace MLRobust.Rendering;

/// <summary>Writes a file so that readers see the old content or the new one, never a partial file.</summary>
internal static class AtomicWrite
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(copy);
            stream.Flush(flushToDisk: true);
        });
    }

    /// <summary>Lets <paramref name="writeTemp"/> write a temporary file beside <paramref name="path"/> (same extension, so
    /// writers that pick the format by extension work), then renames it over <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> writeTemp)
    {
        ArgumentNullException.ThrowIfNull(writeTemp);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Cannot write '{path}': folder '{directory}' does not exist.");
        var temp = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            writeTemp(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Whether <paramref name="fileName"/> is the name of a temporary file <see cref="Write"/> makes.</summary>
    public static bool IsTemporaryName(string fileName) =>
        System.Text.RegularExpressions.Regex.IsMatch(fileName, @"^\..*\.[0-9a-f]{32}\.tmp(\.[^.]*)?$");

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
}
