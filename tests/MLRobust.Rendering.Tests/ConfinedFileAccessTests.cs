using System.Text;
using MLRobust.Rendering.Geometry;
using MLRobust.Rendering.Gltf;
using MLRobust.Rendering.Scenes;

namespace MLRobust.Rendering.Tests;

/// <summary>A model file can make MLRobust read only what lies in the model's own folder: every escape (.., percent-encoded
/// .., absolute paths, a symbolic link to a file or a folder outside) is refused with a GltfException naming the URI;
/// files inside (also through links that stay inside) load. A rendered folder's manifest follows the same rule.</summary>
public sealed class ConfinedFileAccessTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlr-confined-").FullName;
    private readonly string _model;
    private readonly string _outside;

    public ConfinedFileAccessTests()
    {
        _model = Directory.CreateDirectory(Path.Combine(_root, "model")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_root, "outside")).FullName;
        File.WriteAllBytes(Path.Combine(_outside, "secret.bin"), Triangle());
        Directory.CreateDirectory(Path.Combine(_model, "sub"));
        File.WriteAllBytes(Path.Combine(_model, "sub", "ok.bin"), Triangle());
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    private static byte[] Triangle()
    {
        var values = new float[] { 0, 0, 0, 1, 0, 0, 0, 1, 0 };
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private Model3D LoadWithBuffer(string uri)
    {
        var json = $$$"""
{"asset":{"version":"2.0"},"scene":0,"scenes":[{"nodes":[0]}],"nodes":[{"mesh":0}],
 "meshes":[{"primitives":[{"attributes":{"POSITION":0}}]}],
 "accessors":[{"bufferView":0,"componentType":5126,"count":3,"type":"VEC3","min":[0,0,0],"max":[1,1,0]}],
 "bufferViews":[{"buffer":0,"byteLength":36}],
 "buffers":[{"uri":"{{{uri}}}","byteLength":36}]}
""";
        var path = Path.Combine(_model, "model.gltf");
        File.WriteAllText(path, json, Encoding.UTF8);
        return GltfReader.Load(path);
    }

    [Theory]
    [InlineData("../outside/secret.bin", "leaves the folder")]
    [InlineData("%2e%2e/outside/secret.bin", "leaves the folder")]
    [InlineData("sub/../../outside/secret.bin", "leaves the folder")]
    [InlineData("sub\\\\..\\\\..\\\\outside\\\\secret.bin", "leaves the folder")]
    public void DotDotIsRefused(string uri, string reason)
    {
        var e = Assert.Throws<GltfException>(() => LoadWithBuffer(uri));
        Assert.Contains(reason, e.Message);
        Assert.Contains("/buffers/0", e.Message);
    }

    [Fact]
    public void AbsolutePathsAreRefused()
    {
        var e = Assert.Throws<GltfException>(() => LoadWithBuffer(Path.Combine(_outside, "secret.bin")));
        Assert.Contains("absolute path", e.Message);
        Assert.Throws<GltfException>(() => LoadWithBuffer("/etc/hostname"));
    }

    [Fact]
    public void SymbolicLinksThatLeadOut_AreRefused_AndLinksInside_Work()
    {
        File.CreateSymbolicLink(Path.Combine(_model, "link.bin"), Path.Combine(_outside, "secret.bin"));
        var file = Assert.Throws<GltfException>(() => LoadWithBuffer("link.bin"));
        Assert.Contains("link.bin", file.Message);
        Assert.Contains("symbolic link", file.Message);

        Directory.CreateSymbolicLink(Path.Combine(_model, "data"), _outside);
        var folder = Assert.Throws<GltfException>(() => LoadWithBuffer("data/secret.bin"));
        Assert.Contains("data/secret.bin", folder.Message);
        Assert.Contains("symbolic link", folder.Message);

        // A relative link that climbs out is no different.
        File.CreateSymbolicLink(Path.Combine(_model, "climb.bin"), "../outside/secret.bin");
        Assert.Throws<GltfException>(() => LoadWithBuffer("climb.bin"));

        // Inside the folder everything works, links included.
        Assert.NotNull(LoadWithBuffer("sub/ok.bin"));
        Assert.NotNull(LoadWithBuffer("sub%2Fok.bin".Replace("%2F", "/")));
        File.CreateSymbolicLink(Path.Combine(_model, "alias.bin"), Path.Combine(_model, "sub", "ok.bin"));
        Assert.NotNull(LoadWithBuffer("alias.bin"));
    }

    [Fact]
    public void RenderedFolderManifests_CannotNameFilesOutsideTheFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "rendered")).FullName;
        File.WriteAllText(Path.Combine(folder, SceneFolder.ManifestFile),
            "file,alpha_file,label,rx,ry,rz\n../outside/secret.png,a.png,monkey,0,0,0\n");
        File.WriteAllText(Path.Combine(folder, SceneFolder.LabelsFile), "monkey\n");
        var e = Assert.Throws<InvalidDataException>(() => new RenderedFolderDataView(folder));
        Assert.Contains("../outside/secret.png", e.Message);
        Assert.Contains("leaves the folder", e.Message);
        Assert.Contains(":2", e.Message);
    }
}
