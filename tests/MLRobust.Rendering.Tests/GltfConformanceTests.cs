using System.Diagnostics;
using MLRobust.Rendering.Gltf;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Tests;

/// <summary>The glTF conformance files of Debian's assimp-testmodels: valid ones load and render, invalid ones raise a GltfException saying what and where.</summary>
public class GltfConformanceTests
{
    internal const string Root = "/usr/share/assimp/models/glTF2";

    /// <summary>The invalid files (relative to <see cref="Root"/>) and what their error message must name.</summary>
    public static readonly Dictionary<string, string[]> Invalid = new()
    {
        ["BoxBadNormals-glTF-Binary/BoxBadNormals.glb"] = ["/meshes/0/primitives/0/attributes/NORMAL", "length 0"],
        ["BoxTextured-glTF-techniqueWebGL/BoxTextured.gltf"] = ["/extensionsRequired", "KHR_technique_webgl"],
        ["BoxWithInfinites-glTF-Binary/BoxWithInfinites.glb"] = ["/accessors/2", "non-finite"],
        ["draco/2CylinderEngine.gltf"] = ["/extensionsRequired", "KHR_draco_mesh_compression"],
        ["IncorrectVertexArrays/Cube.gltf"] = ["/meshes/1/primitives/0", "multiple of 3"],
        ["IndexOutOfRange/AllIndicesOutOfRange.gltf"] = ["/meshes/0/primitives/0/indices", "65535"],
        ["IndexOutOfRange/IndexOutOfRange.gltf"] = ["/meshes/0/primitives/0/indices", "255", "24 vertices"],
        ["issue_3269/texcoord_crash.gltf"] = ["/meshes/0/primitives/0", "TEXCOORD_0"],
        ["MissingBin/BoxTextured.gltf"] = ["/images/0/uri", "CesiumLogoFlat.png"],
        ["RecursiveNodes/RecursiveNodes.gltf"] = ["/nodes/0", "cycle"],
        ["SchemaFailures/sceneWrongType.gltf"] = ["/scene", "\"hello\""],
        ["TestNoRootNode/NoScene.gltf"] = ["/scene", "scenes has 0"],
        ["wrongTypes/badArray.gltf"] = ["/meshes/0/primitives", "expected an array"],
        ["wrongTypes/badExtension.gltf"] = ["/extensions/KHR_texture_transform", "expected an object"],
        ["wrongTypes/badNumber.gltf"] = ["/materials/0/normalTexture"],
        ["wrongTypes/badObject.gltf"] = ["/materials/0/pbrMetallicRoughness", "expected an object"],
        ["wrongTypes/badString.gltf"] = ["/scenes/0/name", "expected a string"],
        ["wrongTypes/badUint.gltf"] = ["/materials/0/pbrMetallicRoughness/baseColorTexture/index", "-1"],
    };

    internal static string[] AllFiles() =>
        Directory.GetFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".gltf", StringComparison.Ordinal) || f.EndsWith(".glb", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f)).Order(StringComparer.Ordinal).ToArray();

    public static IEnumerable<object[]> ValidFiles() => AllFiles().Where(f => !Invalid.ContainsKey(f)).Select(f => new object[] { f });

    public static IEnumerable<object[]> InvalidFiles() => Invalid.Keys.Select(f => new object[] { f });

    private static readonly Lazy<Dictionary<string, int>> s_referenceTriangles = new(() =>
    {
        var script = Path.Combine(AppContext.BaseDirectory, "reference_triangle_counts.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var f in ValidFiles()) start.ArgumentList.Add(Path.Combine(Root, (string)f[0]));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .ToDictionary(p => Path.GetRelativePath(Root, p[0]), p => int.Parse(p[1]));
    });

    [Fact]
    public void The_conformance_files_are_installed_and_every_one_is_classified()
    {
        Assert.True(Directory.Exists(Root), $"{Root} is missing: install the Debian package assimp-testmodels (./build.sh does).");
        var files = AllFiles();
        Assert.True(files.Length >= 40, $"only {files.Length} glTF files under {Root}");
        Assert.All(Invalid.Keys, f => Assert.Contains(f, files));
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Valid_file_loads_and_renders(string file)
    {
        var model = GltfReader.Load(Path.Combine(Root, file));
        Assert.Equal(s_referenceTriangles.Value[file], model.TriangleCount);
        var rasterizer = new Rasterizer(new RenderOptions { Width = 32, Height = 32, Supersampling = 2 });
        var normalized = model.VertexCount > 0 ? model.Normalized() : model;
        var result = rasterizer.Render(normalized, Pose.Identity);
        Assert.All(result.Alpha, a => Assert.InRange(a, 0f, 1f));
        Assert.All(result.Intensity, v => Assert.InRange(v, 0f, 1f));
        // Everything with geometry in view draws something (SceneWithoutNodes has none).
        if (model.VertexCount > 0) Assert.True(result.Alpha.Sum() > 1, $"{file} rendered nothing");
    }

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void Invalid_file_raises_a_GltfException_naming_what_and_where(string file)
    {
        var e = Assert.Throws<GltfException>(() => GltfReader.Load(Path.Combine(Root, file)));
        Assert.StartsWith(Path.GetFileName(file), e.Message);
        foreach (var part in Invalid[file]) Assert.Contains(part, e.Message);
    }

    [Fact]
    public void MissingBin_without_textures_names_the_missing_buffer()
    {
        var e = Assert.Throws<GltfException>(() => GltfReader.Load(Path.Combine(Root, "MissingBin/BoxTextured.gltf"), new GltfReaderOptions { LoadTextures = false }));
        Assert.Contains("/buffers/0", e.Message);
        Assert.Contains("BoxTextured0.bin", e.Message);
    }
}
