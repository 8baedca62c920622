using System.Numerics;
using MLRobust.Rendering.Geometry;

namespace MLRobust.Rendering.Gltf;

/// <summary>
/// Reads glTF 2.0 (.gltf with external or data: buffers, and .glb) into a <see cref="Model3D"/>:
/// the default scene's node forest is flattened, each mesh instance transformed to model space
/// (a mirroring node flips its triangles so they stay front-facing). Animations, skins and morph
/// targets are not applied (meshes are drawn as stored); cameras and lights in the file are ignored.
/// Every problem is a <see cref="GltfException"/> naming the file and the JSON pointer.
/// </summary>
public static class GltfReader
{
    /// <summary>The largest file read (1 GiB).</summary>
    public const long MaxFileBytes = 1L << 30;

    public static Model3D Load(string path, GltfReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var source = Path.GetFileName(path);
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxFileBytes)
                throw new GltfException($"{source}: the file is {stream.Length} bytes, more than the {MaxFileBytes} bytes supported");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GltfException($"{path}: cannot read the file: {e.Message}", e);
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        options ??= new GltfReaderOptions();
        var name = options.Name ?? Path.GetFileNameWithoutExtension(path);
        return Load(bytes, source, directory, options, name);
    }

    /// <summary>
    /// Reads a .gltf or .glb held in memory. <paramref name="baseDirectory"/> resolves relative
    /// URIs; without it only data: URIs and the GLB BIN chunk are available.
    /// </summary>
    public static Model3D Load(ReadOnlyMemory<byte> bytes, string sourceName, string? baseDirectory = null, GltfReaderOptions? options = null) =>
        Load(bytes, sourceName, baseDirectory, options ?? new GltfReaderOptions(), options?.Name ?? Path.GetFileNameWithoutExtension(sourceName));

    private static Model3D Load(ReadOnlyMemory<byte> bytes, string source, string? baseDirectory, GltfReaderOptions options, string name)
    {
        if (string.IsNullOrWhiteSpace(name)) name = "model";
        ReadOnlyMemory<byte> json = bytes;
        ReadOnlyMemory<byte>? bin = null;
        if (GlbContainer.LooksLikeGlb(bytes.Span))
            (json, bin) = GlbContainer.Split(bytes, source);
        try
        {
            using var doc = new GltfDocument(json, bin, source, baseDirectory, options);
            return new Model3D(name, Flatten(doc));
        }
        catch (ArgumentException e)
        {
            // Geometry constructors re-check invariants; reaching them with bad data is still the file's fault.
            throw new GltfException($"{source}: {e.Message}", e);
        }
    }

    private static List<Primitive3D> Flatten(GltfDocument doc)
    {
        var nodes = doc.Nodes;
        var parents = new int[nodes.Count];
        Array.Fill(parents, -1);
        var children = new int[nodes.Count][];
        var locals = new Matrix4x4[nodes.Count];
        var meshOf = new int?[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            children[i] = node.IndexArray("children", nodes.Count, "nodes");
            foreach (var c in children[i])
            {
                if (c == i)
                    throw node.ErrorAt("children", $"node {i} lists itself as a child");
                if (parents[c] >= 0)
                    throw node.ErrorAt("children", $"node {c} has two parents ({parents[c]} and {i}); the node hierarchy must be a forest");
                parents[c] = i;
            }
            locals[i] = LocalTransform(node);
            meshOf[i] = node.OptionalIndex("mesh", doc.Meshes.Count, "meshes");
            node.OptionalIndex("camera", int.MaxValue, "cameras");
            node.OptionalIndex("skin", int.MaxValue, "skins");
        }
        CheckAcyclic(doc, parents);

        int[] roots;
        int? sceneIndex = doc.Root.OptionalIndex("scene", doc.Scenes.Count, "scenes");
        if (sceneIndex is null && doc.Scenes.Count > 0) sceneIndex = 0;
        if (sceneIndex is int s)
        {
            var scene = doc.Scenes[s];
            roots = scene.IndexArray("nodes", nodes.Count, "nodes");
            var seen = new HashSet<int>();
            for (int k = 0; k < roots.Length; k++)
            {
                if (parents[roots[k]] >= 0)
                    throw scene.ErrorAt($"nodes/{k}", $"node {roots[k]} is not a root node (its parent is node {parents[roots[k]]})");
                if (!seen.Add(roots[k]))
                    throw scene.ErrorAt($"nodes/{k}", $"node {roots[k]} is listed twice");
            }
        }
        else
            roots = Enumerable.Range(0, nodes.Count).Where(i => parents[i] < 0).ToArray();

        var meshes = new GltfMeshes(doc);
        var result = new List<Primitive3D>();
        var stack = new Stack<(int Node, Matrix4x4 Parent)>();
        foreach (var r in roots.Reverse()) stack.Push((r, Matrix4x4.Identity));
        while (stack.Count > 0)
        {
            var (n, parent) = stack.Pop();
            var world = locals[n] * parent;
            if (meshOf[n] is int m)
                foreach (var prim in meshes.Get(m))
                {
                    doc.Spend((long)prim.VertexCount * 11 + prim.Indices.Length, nodes[n]);
                    result.Add(world.IsIdentity ? prim : prim.Transformed(world));
                }
            for (int c = children[n].Length - 1; c >= 0; c--)
                stack.Push((children[n][c], world));
        }
        return result;
    }

    /// <summary>With at most one parent per node, a cycle shows as a parent chain that never ends.</summary>
    private static void CheckAcyclic(GltfDocument doc, int[] parents)
    {
        var state = new byte[parents.Length]; // 0 unvisited, 1 on the current chain, 2 known to reach a root
        var chain = new List<int>();
        for (int i = 0; i < parents.Length; i++)
        {
            chain.Clear();
            int n = i;
            while (n >= 0 && state[n] == 0)
            {
                state[n] = 1;
                chain.Add(n);
                n = parents[n];
            }
            if (n >= 0 && state[n] == 1)
                throw doc.Nodes[n].Error($"node {n} is part of a cycle in the node hierarchy");
            foreach (var c in chain) state[c] = 2;
        }
    }

    private static Matrix4x4 LocalTransform(GltfJson node)
    {
        var matrix = node.OptionalNumberArray("matrix", 16);
        var t = node.OptionalNumberArray("translation", 3);
        var r = node.OptionalNumberArray("rotation", 4);
        var s = node.OptionalNumberArray("scale", 3);
        if (matrix is not null)
        {
            if (t is not null || r is not null || s is not null)
                throw node.ErrorAt("matrix", "a node has either a matrix or translation/rotation/scale, not both");
            // glTF stores column-major for column vectors; read in order, that is System.Numerics' row-vector matrix.
            if (Math.Abs(matrix[3]) > 1e-6 || Math.Abs(matrix[7]) > 1e-6 || Math.Abs(matrix[11]) > 1e-6 || Math.Abs(matrix[15] - 1) > 1e-6)
                throw node.ErrorAt("matrix", "the matrix is not affine (its last row must be 0, 0, 0, 1)");
            var f = matrix.Select(x => (float)x).ToArray();
            return new Matrix4x4(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14], f[15]);
        }
        var scale = s is null ? Vector3.One : new Vector3((float)s[0], (float)s[1], (float)s[2]);
        var rotation = Quaternion.Identity;
        if (r is not null)
        {
            double len = Math.Sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2] + r[3] * r[3]);
            if (Math.Abs(len - 1) > 0.01)
                throw node.ErrorAt("rotation", $"the quaternion has length {len:G4}, not 1");
            rotation = Quaternion.Normalize(new Quaternion((float)r[0], (float)r[1], (float)r[2], (float)r[3]));
        }
        var translation = t is null ? Vector3.Zero : new Vector3((float)t[0], (float)t[1], (float)t[2]);
        var local = Matrix4x4.CreateScale(scale) * Matrix4x4.CreateFromQuaternion(rotation) * Matrix4x4.CreateTranslation(translation);
        if (!float.IsFinite(local.GetDeterminant()))
            throw node.Error("the node transform overflows single precision");
        return local;
    }
}
