namespace MLRobust.Cli.Tests;

/// <summary>Files of the repository the tests read independent expectations from.</summary>
internal static class RepositoryFiles
{
    internal static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MLRobust.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no MLRobust.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The version CMake found for the libtorch the shim was built against: PACKAGE_VERSION in
    /// TorchConfigVersion.cmake under the Torch_DIR recorded in artifacts/native/CMakeCache.txt.</summary>
    /// <summary>The libtorch-cpu-linux-x64 version Directory.Build.props pins (LibTorchVersion).</summary>
    internal static string LibtorchPackageVersion() => BuildProperty("LibTorchVersion");

    /// <summary>The TorchSharp version Directory.Build.props pins (TorchSharpVersion).</summary>
    internal static string TorchSharpPackageVersion() => BuildProperty("TorchSharpVersion");

    private static string BuildProperty(string name)
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        return props.Descendants(name).Single().Value;
    }

    /// <summary>The <c>mlrobust</c> executable the CLI project builds, in the same configuration as these tests.</summary>
    internal static string CliCommand()
    {
        var configuration = typeof(RepositoryFiles).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .Cast<System.Reflection.AssemblyConfigurationAttribute>().Single().Configuration;
        var path = Path.Combine(Root, "src", "MLRobust.Cli", "bin", configuration, "net10.0", "mlrobust");
        Assert.True(File.Exists(path), $"{path} is missing: the CLI project's build should have made it");
        return path;
    }

    /// <summary>The &lt;Version&gt; every project gets from Directory.Build.props.</summary>
    internal static string ProjectVersion()
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        return props.Descendants("Version").Single().Value;
    }
}
