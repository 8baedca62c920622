using MLRobust.Rendering.Gltf;
using MLRobust.Rendering.Models;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Tests;

public class BuiltInModelTests
{
    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MLRobust.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("MLRobust.sln not found above " + AppContext.BaseDirectory);
    }

    private static string ModelsFolder => Path.Combine(RepoRoot(), "renders", "models");

    [Fact]
    public void Committed_glb_files_equal_a_fresh_generation()
    {
        using var temp = new TempFolder();
        var fresh = BuiltInModels.WriteGlbFiles(temp.Path);
        Assert.Equal(BuiltInModels.Names.Select(n => n + ".glb"), fresh.Select(Path.GetFileName));
        foreach (var path in fresh)
        {
            var committed = Path.Combine(ModelsFolder, Path.GetFileName(path));
            Assert.True(File.Exists(committed), $"{committed} is missing; regenerate with BuiltInModels.WriteGlbFiles(\"renders/models\")");
            Assert.True(File.ReadAllBytes(path).AsSpan().SequenceEqual(File.ReadAllBytes(committed)),
                $"{committed} differs from what BuiltInModels makes now; regenerate with BuiltInModels.WriteGlbFiles(\"renders/models\")");
        }
    }

    [Fact]
    public void Glb_files_read_back_as_the_same_geometry()
    {
        foreach (var name in BuiltInModels.Names)
        {
            var made = BuiltInModels.Create(name);
            var read = GltfReader.Load(Path.Combine(ModelsFolder, name + ".glb"));
            Assert.Equal(made.TriangleCount, read.TriangleCount);
            var pose = new Pose(0.3f, -0.2f, 0.1f);
            var a = new Rasterizer().Render(made, pose);
            var b = new Rasterizer().Render(read, pose);
            Assert.Equal(a.Alpha, b.Alpha);
            Assert.Equal(a.Intensity.Select(x => MathF.Round(x, 4)), b.Intensity.Select(x => MathF.Round(x, 4)));
        }
    }

    [Fact]
    public void The_three_silhouettes_differ()
    {
        var r = new Rasterizer();
        var alphas = BuiltInModels.CreateAll().Select(m => r.Render(m, Pose.Identity).Alpha).ToArray();
        for (int i = 0; i < 3; i++)
            for (int j = i + 1; j < 3; j++)
            {
                double differing = alphas[i].Zip(alphas[j], (a, b) => Math.Abs(a - b)).Sum();
                Assert.True(differing > 300, $"{BuiltInModels.Names[i]} and {BuiltInModels.Names[j]} differ in only {differing:F0} pixels of alpha");
            }
        // Each fills a good part of a 64x64 frame without touching its border.
        foreach (var a in alphas)
        {
            Assert.InRange(a.Sum(), 400, 2500);
            for (int k = 0; k < 64; k++) Assert.True(a[k] == 0 && a[63 * 64 + k] == 0 && a[k * 64] == 0 && a[k * 64 + 63] == 0);
        }
    }

    [KhronosValidatorFact]
    public void Glb_files_pass_the_Khronos_validator()
    {
        var files = BuiltInModels.Names.Select(n => Path.Combine(ModelsFolder, n + ".glb")).ToArray();
        var reports = KhronosValidator.Validate(files);
        foreach (var f in files)
        {
            Assert.True(reports.TryGetValue(f, out var report), $"no report for {f}");
            Assert.True(report.Errors == 0 && report.Warnings == 0, $"{f}: {report.Errors} errors, {report.Warnings} warnings: {report.Messages}");
        }
    }
}
