using MLRobust.Rendering.Images;
using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json;
using Microsoft.ML.Data;
using MLRobust.Rendering.Geometry;

namespace MLRobust.Rendering.Gltf;

/// <summary>
/// Writes a <see cref="Model3D"/> as a binary glTF (.glb): one node, one mesh with one primitive per
/// <see cref="Primitive3D"/>, float POSITION (with min/max), NORMAL, TEXCOORD_0 and COLOR_0 when
/// present, u16 or u32 indices, and a metallic-roughness material per distinct material (base colour
/// textures embedded as PNG). The output is byte-for-byte deterministic.
/// </summary>
public static class GltfWriter
{
    private const int ArrayBuffer = 34962, ElementArrayBuffer = 34963;

    /// <summary>Writes the .glb atomically (a temporary file beside it, then a rename).</summary>
    public static void WriteGlb(Model3D model, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToGlb(model);
        AtomicWrite.WriteAllBytes(path, bytes);
    }

    public static byte[] ToGlb(Model3D model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var bin = new MemoryStream();
        var views = new List<(int Offset, int Length, int Target)>();
        var accessors = new List<Action<Utf8JsonWriter>>();
        var materials = new List<Material3D>();
        var images = new List<int>(); // bufferView of each image
        var textures = new List<Texture2D>();

        int AddView(ReadOnlySpan<byte> data, int target)
        {
            while (bin.Length % 4 != 0) bin.WriteByte(0);
            views.Add(((int)bin.Length, data.Length, target));
            bin.Write(data);
            return views.Count - 1;
        }

        int AddFloats(float[] values, int components, string type, bool bounds)
        {
            var bytes = new byte[values.Length * 4];
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
            int view = AddView(bytes, ArrayBuffer);
            int count = values.Length / components;
            float[]? min = null, max = null;
            if (bounds)
            {
                min = Enumerable.Repeat(float.PositiveInfinity, components).ToArray();
                max = Enumerable.Repeat(float.NegativeInfinity, components).ToArray();
                for (int i = 0; i < values.Length; i++)
                {
                    min[i % components] = MathF.Min(min[i % components], values[i]);
                    max[i % components] = MathF.Max(max[i % components], values[i]);
                }
            }
            accessors.Add(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("bufferView", view);
                w.WriteNumber("componentType", GltfAccessors.Float);
                w.WriteNumber("count", count);
                w.WriteString("type", type);
                if (min is not null)
                {
                    w.WriteStartArray("min"); foreach (var v in min) w.WriteNumberValue(v); w.WriteEndArray();
                    w.WriteStartArray("max"); foreach (var v in max!) w.WriteNumberValue(v); w.WriteEndArray();
                }
                w.WriteEndObject();
            });
            return accessors.Count - 1;
        }

        int AddIndices(int[] indices, int vertexCount)
        {
            bool small = vertexCount < 65535;
            var bytes = new byte[indices.Length * (small ? 2 : 4)];
            for (int i = 0; i < indices.Length; i++)
                if (small) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), (ushort)indices[i]);
                else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), (uint)indices[i]);
            int view = AddView(bytes, ElementArrayBuffer);
            accessors.Add(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("bufferView", view);
                w.WriteNumber("componentType", small ? GltfAccessors.UnsignedShort : GltfAccessors.UnsignedInt);
                w.WriteNumber("count", indices.Length);
                w.WriteString("type", "SCALAR");
                w.WriteEndObject();
            });
            return accessors.Count - 1;
        }

        int MaterialIndex(Material3D m)
        {
            int i = materials.IndexOf(m);
            if (i >= 0) return i;
            materials.Add(m);
            if (m.BaseColorTexture is { } t && !textures.Contains(t))
            {
                textures.Add(t);
                images.Add(AddView(EncodePng(t), 0));
            }
            return materials.Count - 1;
        }

        var primitives = new List<Action<Utf8JsonWriter>>();
        foreach (var prim in model.Primitives)
        {
            if (prim.VertexCount == 0 || prim.Indices.Length == 0) continue;
            int position = AddFloats(prim.Positions, 3, "VEC3", bounds: true);
            int? normal = prim.Normals is null ? null : AddFloats(prim.Normals, 3, "VEC3", false);
            int? uv = prim.TexCoords is null ? null : AddFloats(prim.TexCoords, 2, "VEC2", false);
            int? color = prim.Colors is null ? null : AddFloats(prim.Colors, 3, "VEC3", false);
            int indices = AddIndices(prim.Indices, prim.VertexCount);
            int material = MaterialIndex(prim.Material);
            int mode = prim.Topology switch { PrimitiveTopology.Points => 0, PrimitiveTopology.Lines => 1, _ => 4 };
            primitives.Add(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("attributes");
                w.WriteNumber("POSITION", position);
                if (normal is int n) w.WriteNumber("NORMAL", n);
                if (uv is int t) w.WriteNumber("TEXCOORD_0", t);
                if (color is int c) w.WriteNumber("COLOR_0", c);
                w.WriteEndObject();
                w.WriteNumber("indices", indices);
                w.WriteNumber("material", material);
                if (mode != 4) w.WriteNumber("mode", mode);
                w.WriteEndObject();
            });
        }
        while (bin.Length % 4 != 0) bin.WriteByte(0);

        var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            w.WriteStartObject("asset");
            w.WriteString("version", "2.0");
            w.WriteString("generator", "MLRobust.Rendering");
            w.WriteEndObject();
            w.WriteNumber("scene", 0);
            w.WriteStartArray("scenes");
            w.WriteStartObject(); w.WriteStartArray("nodes"); w.WriteNumberValue(0); w.WriteEndArray(); w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("nodes");
            w.WriteStartObject(); w.WriteString("name", model.Name);
            if (primitives.Count > 0) w.WriteNumber("mesh", 0);
            w.WriteEndObject();
            w.WriteEndArray();
            if (primitives.Count > 0)
            {
                w.WriteStartArray("meshes");
                w.WriteStartObject(); w.WriteString("name", model.Name);
                w.WriteStartArray("primitives"); foreach (var p in primitives) p(w); w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
            }
            if (materials.Count > 0)
            {
                w.WriteStartArray("materials");
                foreach (var m in materials)
                {
                    w.WriteStartObject();
                    if (m.Name is not null) w.WriteString("name", m.Name);
                    w.WriteStartObject("pbrMetallicRoughness");
                    w.WriteStartArray("baseColorFactor");
                    w.WriteNumberValue(m.BaseColor.X); w.WriteNumberValue(m.BaseColor.Y); w.WriteNumberValue(m.BaseColor.Z); w.WriteNumberValue(m.BaseColor.W);
                    w.WriteEndArray();
                    if (m.BaseColorTexture is { } t)
                    {
                        w.WriteStartObject("baseColorTexture"); w.WriteNumber("index", textures.IndexOf(t)); w.WriteEndObject();
                    }
                    w.WriteNumber("metallicFactor", 0);
                    w.WriteNumber("roughnessFactor", 1);
                    w.WriteEndObject();
                    if (m.DoubleSided) w.WriteBoolean("doubleSided", true);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (textures.Count > 0)
            {
                w.WriteStartArray("samplers");
                foreach (var t in textures)
                {
                    w.WriteStartObject();
                    w.WriteNumber("magFilter", t.Nearest ? 9728 : 9729);
                    w.WriteNumber("wrapS", WrapCode(t.WrapS));
                    w.WriteNumber("wrapT", WrapCode(t.WrapT));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("textures");
                for (int i = 0; i < textures.Count; i++)
                {
                    w.WriteStartObject(); w.WriteNumber("sampler", i); w.WriteNumber("source", i); w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("images");
                foreach (var view in images)
                {
                    w.WriteStartObject(); w.WriteNumber("bufferView", view); w.WriteString("mimeType", "image/png"); w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (views.Count > 0)
            {
                w.WriteStartArray("bufferViews");
                foreach (var (offset, length, target) in views)
                {
                    w.WriteStartObject();
                    w.WriteNumber("buffer", 0);
                    if (offset > 0) w.WriteNumber("byteOffset", offset);
                    w.WriteNumber("byteLength", length);
                    if (target != 0) w.WriteNumber("target", target);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("accessors");
                foreach (var a in accessors) a(w);
                w.WriteEndArray();
                w.WriteStartArray("buffers");
                w.WriteStartObject(); w.WriteNumber("byteLength", bin.Length); w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return GlbContainer.Join(json.ToArray(), bin.ToArray());
    }

    private static int WrapCode(TextureWrap wrap) => wrap switch
    {
        TextureWrap.ClampToEdge => 33071,
        TextureWrap.MirroredRepeat => 33648,
        _ => 10497,
    };

    private static byte[] EncodePng(Texture2D t)
    {
        var rgba = new byte[t.Width * t.Height * 4];
        for (int p = 0, q = 0; p < t.LinearRgb.Length; p += 3, q += 4)
        {
            rgba[q] = LinearToSrgb8(t.LinearRgb[p]);
            rgba[q + 1] = LinearToSrgb8(t.LinearRgb[p + 1]);
            rgba[q + 2] = LinearToSrgb8(t.LinearRgb[p + 2]);
            rgba[q + 3] = 255;
        }
        return ImageFiles.EncodePng(t.Width, t.Height, rgba);
    }

    private static byte LinearToSrgb8(float linear)
    {
        double c = Math.Clamp(linear, 0f, 1f);
        double s = c <= 0.0031308 ? 12.92 * c : 1.055 * Math.Pow(c, 1 / 2.4) - 0.055;
        return (byte)Math.Round(s * 255);
    }
}
