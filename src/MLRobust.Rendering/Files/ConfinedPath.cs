namespace MLRobust.Rendering.Files;

/// <summary>
/// Resolves a relative path that a file names (a glTF buffer or image URI, a manifest's image file) inside the folder the
/// user gave, and refuses anything that would leave it: absolute paths, <c>..</c> segments, and symbolic links (of the
/// file or of any folder on the way) whose target lies outside. A downloaded model or data set can then read only what
/// sits in its own folder.
/// </summary>
public static class ConfinedPath
{
    private const int MaxLinks = 40;

    /// <summary>The real path of <paramref name="relative"/> inside <paramref name="folder"/>, or false with the reason
    /// (a phrase such as "is an absolute path") in <paramref name="problem"/>.</summary>
    public static bool TryResolve(string folder, string relative, out string path, out string problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(relative);
        path = "";
        if (relative.Length == 0) { problem = "is empty"; return false; }
        if (relative.IndexOf('\0') >= 0) { problem = "holds a NUL character"; return false; }
        if (Path.IsPathRooted(relative) || relative[0] is '/' or '\\' || (relative.Length > 1 && relative[1] == ':'))
        {
            problem = "is an absolute path; only paths relative to the folder are read";
            return false;
        }
        var segments = relative.Split('/', '\\');
        if (segments.Any(s => s == ".."))
        {
            problem = "leaves the folder ('..'); only files inside it are read";
            return false;
        }
        try
        {
            var root = RealPath(folder, 0);
            var candidate = RealPath(Path.Combine(root, string.Join(Path.DirectorySeparatorChar, segments.Where(s => s.Length > 0 && s != "."))), 0);
            var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
            if (!candidate.StartsWith(prefix, StringComparison.Ordinal))
            {
                problem = $"leads outside the folder through a symbolic link (to {candidate})";
                return false;
            }
            path = candidate;
            problem = "";
            return true;
        }
        catch (IOException e)
        {
            problem = $"cannot be resolved: {e.Message}";
            return false;
        }
    }

    /// <summary>The path with every symbolic link on it resolved (components that do not exist are kept as they are).</summary>
    private static string RealPath(string path, int links)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? Path.DirectorySeparatorChar.ToString();
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks) throw new IOException($"more than {MaxLinks} symbolic links on the way to {path}");
                current = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), links);
            }
            else
            {
                current = next;
            }
        }
        return current;
    }
}
