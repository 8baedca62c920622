namespace MLRobust.Benchmarks;

internal static class RepoPaths
{
    /// <summary>The repository root: the first folder above the executable that holds MLRobust.sln.</summary>
    internal static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MLRobust.sln"))) return dir.FullName;
            return Environment.CurrentDirectory;
        }
    }
}
