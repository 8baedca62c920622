using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace MLRobust.Cli.Tests;

/// <summary>
/// <c>mlrobust train --checkpoint</c> and <c>mlrobust render</c> as real processes, killed (SIGKILL) mid-run: no partial
/// file is left where a finished one is expected, and running the same command again finishes with exactly the result
/// of an uninterrupted run (the same weights bit for bit; the same dataset bytes).
/// </summary>
public sealed class KillAndResumeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlr-kill-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private string[] TrainArguments(string name) =>
    [
        "train", "--model", "direct", "--count", "48", "--size", "24", "--iterations", "240", "--batch-size", "8",
        "--checkpoint", Path.Combine(_root, name + "-checkpoints"), "--checkpoint-every", "10", "--seed", "3", "--json",
        "--out", Path.Combine(_root, name + ".zip"),
    ];

    [Fact]
    public void Train_KilledAndRunAgain_ResumesToTheSameWeights()
    {
        Assert.Equal(0, Run(TrainArguments("straight")));

        var checkpoints = Path.Combine(_root, "killed-checkpoints");
        var model = Path.Combine(_root, "killed.zip");
        KillWhen(TrainArguments("killed"), () => File.Exists(Path.Combine(checkpoints, "checkpoint.json")));
        // Killed mid-run: no model file (and no half-written one), a readable checkpoint part of the way through.
        Assert.False(File.Exists(model), "the killed run left a model file");
        Assert.Empty(Directory.GetFiles(_root, ".killed*"));
        using (var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoints, "checkpoint.json"))))
            Assert.InRange(state.RootElement.GetProperty("Iteration").GetInt32(), 10, 239);

        Assert.Equal(0, Run(TrainArguments("killed")));
        Assert.Equal(Entry(Path.Combine(_root, "straight.zip"), "weights.safetensors"), Entry(model, "weights.safetensors"));
        Assert.Equal(Entry(Path.Combine(_root, "straight.zip"), "parameters.json"), Entry(model, "parameters.json"));
    }

    private string[] RenderArguments(string name) =>
        ["render", "--count", "3000", "--size", "32", "--seed", "5", "--out", Path.Combine(_root, name)];

    [Fact]
    public void Render_KilledAndRunAgain_WritesTheSameDataset()
    {
        Assert.Equal(0, Run(RenderArguments("straight")));

        var folder = Path.Combine(_root, "killed");
        KillWhen(RenderArguments("killed"), () => Directory.Exists(folder) && Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories).Take(50).Count() == 50);
        // Killed mid-run: no manifest (it is written last, so the folder is not a dataset yet) and every finished image is whole.
        Assert.False(File.Exists(Path.Combine(folder, "manifest.csv")), "the killed run left a manifest");
        foreach (var png in Directory.EnumerateFiles(folder, "*.png", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            using var image = Microsoft.ML.Data.MLImage.CreateFromFile(png);
            Assert.Equal(32, image.Width);
        }

        Assert.Equal(0, Run(RenderArguments("killed")));
        var expected = Files(Path.Combine(_root, "straight"));
        var actual = Files(folder);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, bytes) in expected) Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"{name} differs");
    }

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);

    private static byte[] Entry(string zip, string suffix)
    {
        using var archive = ZipFile.OpenRead(zip);
        var entry = archive.Entries.Single(e => e.FullName.EndsWith("/" + suffix, StringComparison.Ordinal));
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static Process Start(string[] arguments)
    {
        var psi = new ProcessStartInfo(RepositoryFiles.CliCommand()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        return Process.Start(psi)!;
    }

    private static int Run(string[] arguments)
    {
        using var process = Start(arguments);
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "the command did not finish in 3 minutes");
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', arguments)}: exit {process.ExitCode}: {error.Result}");
        return process.ExitCode;
    }

    /// <summary>Starts the command and kills it (SIGKILL) as soon as <paramref name="ready"/> holds; fails if it ends first.</summary>
    private static void KillWhen(string[] arguments, Func<bool> ready)
    {
        using var process = Start(arguments);
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            Assert.False(process.HasExited, $"the command ended (exit {(process.HasExited ? process.ExitCode : 0)}) before it could be killed mid-run");
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the command made no progress in 2 minutes");
            Thread.Sleep(5);
        }
        process.Kill(entireProcessTree: true); // SIGKILL on Linux
        process.WaitForExit();
    }
}
