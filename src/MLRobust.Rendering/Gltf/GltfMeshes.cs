using MLRobust.Rendering.Geometry;

namespace MLRobust.Rendering.Gltf;

/// <summary>
/// Turns glTF mesh primitives into <see cref="Primitive3D"/>s in mesh space: attribute types checked,
/// strips, fans and loops expanded to lists, indices validated against the vertex count.
/// </summary>
internal sealed class GltfMeshes
{
    private readonly GltfDocument _doc;
    private readonly GltfAccessors _accessors;
    private readonly GltfMaterials _materials;
    private readonly List<Primitive3D>?[] _meshes;

    public GltfMeshes(GltfDocument doc)
    {
        _doc = doc;
        _accessors = new GltfAccessors(doc);
        _materials = new GltfMaterials(doc);
        _meshes = new List<Primitive3D>?[doc.Meshes.Count];
    }

    /// <summary>The drawable primitives of mesh <paramref name="index"/> (primitives without POSITION are skipped, as glTF allows).</summary>
    public List<Primitive3D> Get(int index) => _meshes[index] ??= Read(index);

    private List<Primitive3D> Read(int index)
    {
        var mesh = _doc.Meshes[index];
        var primitives = mesh.ObjectArray("primitives");
        if (primitives.Count == 0)
            throw mesh.ErrorAt("primitives", "a mesh needs at least one primitive");
        var result = new List<Primitive3D>();
        foreach (var p in primitives)
            if (ReadPrimitive(p) is { } prim)
                result.Add(prim);
        return result;
    }

    private Primitive3D? ReadPrimitive(GltfJson p)
    {
        var attributes = p.IndexMap("attributes", _doc.Accessors.Count, "accessors");
        if (!p.Has("attributes"))
            throw p.ErrorAt("attributes", "required property is missing");
        long mode = p.OptionalInteger("mode", 4, 0, 6);
        int? indicesAccessor = p.OptionalIndex("indices", _doc.Accessors.Count, "accessors");
        int? materialIndex = p.OptionalIndex("material", _doc.Materials.Count, "materials");
        var (material, texCoordSet) = _materials.Get(materialIndex);

        // All attributes must describe the same number of vertices.
        int vertexCount = -1;
        foreach (var (name, acc) in attributes)
        {
            int count = _accessors.Describe(acc).Count;
            if (vertexCount >= 0 && count != vertexCount)
                throw p.ErrorAt("attributes/" + name, $"accessor {acc} has {count} elements but the other attributes have {vertexCount}");
            vertexCount = count;
        }
        var position = attributes.FirstOrDefault(a => a.Name == "POSITION");
        if (position.Name is null) return null;

        var positions = ReadAttribute(p, "POSITION", position.Index, [3], float3: true, allowQuantized: _doc.Quantized, normalizedOnlyInts: false);
        float[]? normals = null;
        var normal = attributes.FirstOrDefault(a => a.Name == "NORMAL");
        if (normal.Name is not null)
        {
            normals = ReadAttribute(p, "NORMAL", normal.Index, [3], float3: true, allowQuantized: _doc.Quantized, normalizedOnlyInts: true);
            CheckUnitNormals(p, normals);
        }
        float[]? texCoords = null;
        if (texCoordSet >= 0)
        {
            var name = "TEXCOORD_" + texCoordSet;
            var uv = attributes.FirstOrDefault(a => a.Name == name);
            if (uv.Name is null)
                throw p.ErrorAt("attributes", $"material {materialIndex} samples its base colour texture with {name}, which the primitive lacks");
            texCoords = ReadAttribute(p, name, uv.Index, [2], float3: false, allowQuantized: _doc.Quantized, normalizedOnlyInts: false);
        }
        float[]? colors = null;
        var color = attributes.FirstOrDefault(a => a.Name == "COLOR_0");
        if (color.Name is not null)
        {
            var raw = ReadAttribute(p, "COLOR_0", color.Index, [3, 4], float3: false, allowQuantized: false, normalizedOnlyInts: true);
            int components = _accessors.Describe(color.Index).Components;
            colors = new float[vertexCount * 3];
            for (int v = 0; v < vertexCount; v++)
                for (int c = 0; c < 3; c++)
                    colors[3 * v + c] = Math.Clamp(raw[components * v + c], 0f, 1f);
        }

        int[] source;
        if (indicesAccessor is int ia)
            source = _accessors.ReadIndices(ia, vertexCount, p);
        else
        {
            _doc.Spend(vertexCount, p);
            source = Enumerable.Range(0, vertexCount).ToArray();
        }
        var (topology, indices) = Expand(p, (int)mode, source);
        return new Primitive3D(topology, positions, indices, material, normals, texCoords, colors);
    }

    private float[] ReadAttribute(GltfJson p, string name, int accessor, int[] componentCounts, bool float3, bool allowQuantized, bool normalizedOnlyInts)
    {
        var info = _accessors.Describe(accessor);
        if (!componentCounts.Contains(info.Components) || info.Type.StartsWith("MAT", StringComparison.Ordinal))
            throw p.ErrorAt("attributes/" + name, $"accessor {accessor} is {info.Type}, but {name} must be {string.Join(" or ", componentCounts.Select(c => "VEC" + c))}");
        bool isFloat = info.ComponentType == GltfAccessors.Float;
        bool ok = isFloat
            || (info.ComponentType is GltfAccessors.UnsignedByte or GltfAccessors.UnsignedShort && info.Normalized && !float3)
            || (allowQuantized && info.ComponentType != GltfAccessors.UnsignedInt && (info.Normalized || !normalizedOnlyInts));
        if (!ok)
            throw p.ErrorAt("attributes/" + name, $"accessor {accessor} has component type {info.ComponentType}{(info.Normalized ? " (normalized)" : "")}, which {name} does not allow{(float3 && !_doc.Quantized ? " without KHR_mesh_quantization" : "")}");
        var values = _accessors.ReadFloats(accessor);
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw _doc.Accessors[accessor].Error($"{name} element {i / info.Components} has a non-finite value ({values[i]})");
        return values;
    }

    private static void CheckUnitNormals(GltfJson p, float[] normals)
    {
        // Renormalise small deviations (quantised normals), refuse clearly broken ones.
        for (int i = 0; i < normals.Length; i += 3)
        {
            float len = MathF.Sqrt(normals[i] * normals[i] + normals[i + 1] * normals[i + 1] + normals[i + 2] * normals[i + 2]);
            if (MathF.Abs(len - 1) > 0.05f)
                throw p.ErrorAt("attributes/NORMAL", $"normal {i / 3} has length {len}, not 1");
            normals[i] /= len; normals[i + 1] /= len; normals[i + 2] /= len;
        }
    }

    private (PrimitiveTopology, int[]) Expand(GltfJson p, int mode, int[] v)
    {
        int n = v.Length;
        void Require(bool condition, string what)
        {
            if (!condition)
                throw p.Error($"{n} vertices/indices do not make {what}");
        }
        switch (mode)
        {
            case 0:
                return (PrimitiveTopology.Points, v);
            case 1:
                Require(n % 2 == 0, "whole lines (mode LINES needs an even count)");
                return (PrimitiveTopology.Lines, v);
            case 2:
            case 3:
                {
                    Require(n >= 2, mode == 2 ? "a line loop (at least 2)" : "a line strip (at least 2)");
                    int segments = mode == 2 ? n : n - 1;
                    _doc.Spend(2L * segments, p);
                    var lines = new int[2 * segments];
                    for (int s = 0; s < segments; s++)
                    {
                        lines[2 * s] = v[s];
                        lines[2 * s + 1] = v[(s + 1) % n];
                    }
                    return (PrimitiveTopology.Lines, lines);
                }
            case 4:
                Require(n % 3 == 0, "whole triangles (mode TRIANGLES needs a multiple of 3)");
                return (PrimitiveTopology.Triangles, v);
            case 5:
                {
                    Require(n >= 3, "a triangle strip (at least 3)");
                    _doc.Spend(3L * (n - 2), p);
                    var tris = new int[3 * (n - 2)];
                    for (int i = 0; i < n - 2; i++)
                    {
                        // Odd triangles of a strip swap their first two vertices to keep the winding.
                        bool odd = (i & 1) == 1;
                        tris[3 * i] = odd ? v[i + 1] : v[i];
                        tris[3 * i + 1] = odd ? v[i] : v[i + 1];
                        tris[3 * i + 2] = v[i + 2];
                    }
                    return (PrimitiveTopology.Triangles, tris);
                }
            default:
                {
                    Require(n >= 3, "a triangle fan (at least 3)");
                    _doc.Spend(3L * (n - 2), p);
                    var tris = new int[3 * (n - 2)];
                    for (int i = 0; i < n - 2; i++)
                    {
                        tris[3 * i] = v[i + 1];
                        tris[3 * i + 1] = v[i + 2];
                        tris[3 * i + 2] = v[0];
                    }
                    return (PrimitiveTopology.Triangles, tris);
                }
        }
    }
}
