using MLRobust.Rendering.Images;
using System.Numerics;
using Microsoft.ML.Data;
using MLRobust.Rendering.Geometry;

namespace MLRobust.Rendering.Gltf;

/// <summary>
/// Reads materials: baseColorFactor, baseColorTexture (decoded through <see cref="MLImage"/>),
/// doubleSided. The other texture slots are validated but not used by a greyscale Lambert shader.
/// </summary>
internal sealed class GltfMaterials
{
    private const int Nearest = 9728, ClampToEdge = 33071, MirroredRepeat = 33648, Repeat = 10497;

    private readonly GltfDocument _doc;
    private readonly Material3D?[] _materials;
    private readonly int[] _texCoordSets;
    private readonly Dictionary<int, Texture2D?> _textures = new();

    public GltfMaterials(GltfDocument doc)
    {
        _doc = doc;
        _materials = new Material3D?[doc.Materials.Count];
        _texCoordSets = new int[doc.Materials.Count];
    }

    /// <summary>The material and the TEXCOORD set its base colour texture reads (-1 when untextured).</summary>
    public (Material3D Material, int TexCoordSet) Get(int? index)
    {
        if (index is not int i) return (Material3D.Default, -1);
        _materials[i] ??= Read(i, out _texCoordSets[i]);
        return (_materials[i]!, _texCoordSets[i]);
    }

    private Material3D Read(int index, out int texCoordSet)
    {
        var m = _doc.Materials[index];
        var baseColor = Vector4.One;
        Texture2D? texture = null;
        texCoordSet = -1;
        if (m.OptionalObject("pbrMetallicRoughness") is { } pbr)
        {
            if (pbr.OptionalNumberArray("baseColorFactor", 4) is { } f)
            {
                for (int c = 0; c < 4; c++)
                    if (f[c] < 0 || f[c] > 1)
                        throw pbr.ErrorAt($"baseColorFactor/{c}", $"{f[c]} is outside [0, 1]");
                baseColor = new Vector4((float)f[0], (float)f[1], (float)f[2], (float)f[3]);
            }
            pbr.OptionalNumber("metallicFactor", 1);
            pbr.OptionalNumber("roughnessFactor", 1);
            if (pbr.OptionalObject("baseColorTexture") is { } info)
            {
                int textureIndex = info.RequiredIndex("index", _doc.Textures.Count, "textures");
                texCoordSet = (int)info.OptionalInteger("texCoord", 0, 0, 255);
                texture = Texture(textureIndex);
                if (texture is null) texCoordSet = -1;
            }
            CheckTextureInfo(pbr.OptionalObject("metallicRoughnessTexture"));
        }
        if (m.OptionalObject("normalTexture") is { } normal)
        {
            CheckTextureInfo(normal);
            normal.OptionalNumber("scale", 1);
        }
        if (m.OptionalObject("occlusionTexture") is { } occlusion)
        {
            CheckTextureInfo(occlusion);
            occlusion.OptionalNumber("strength", 1);
        }
        CheckTextureInfo(m.OptionalObject("emissiveTexture"));
        m.OptionalNumberArray("emissiveFactor", 3);
        var alphaMode = m.OptionalString("alphaMode");
        if (alphaMode is not (null or "OPAQUE" or "MASK" or "BLEND"))
            throw m.ErrorAt("alphaMode", $"\"{alphaMode}\" is not OPAQUE, MASK or BLEND");
        m.OptionalNumber("alphaCutoff", 0.5);
        bool doubleSided = m.OptionalBool("doubleSided", false);
        return new Material3D(baseColor, doubleSided, texture, m.OptionalString("name"));
    }

    private void CheckTextureInfo(GltfJson? info)
    {
        if (info is not { } t) return;
        t.RequiredIndex("index", _doc.Textures.Count, "textures");
        t.OptionalInteger("texCoord", 0, 0, 255);
    }

    private Texture2D? Texture(int index)
    {
        if (_textures.TryGetValue(index, out var cached)) return cached;
        var t = _doc.Textures[index];
        int? samplerIndex = t.OptionalIndex("sampler", _doc.Samplers.Count, "samplers");
        int? source = t.OptionalIndex("source", _doc.Images.Count, "images");
        Texture2D? texture = null;
        var (wrapS, wrapT, nearest) = samplerIndex is int s ? Sampler(s) : (TextureWrap.Repeat, TextureWrap.Repeat, false);
        // A texture whose image comes only from an extension (e.g. WebP) is drawn untextured.
        if (source is int imageIndex && _doc.Options.LoadTextures)
            texture = DecodeImage(imageIndex, wrapS, wrapT, nearest);
        _textures[index] = texture;
        return texture;
    }

    private (TextureWrap, TextureWrap, bool) Sampler(int index)
    {
        var s = _doc.Samplers[index];
        int mag = (int)s.OptionalInteger("magFilter", 9729, 0, int.MaxValue);
        if (mag is not (9728 or 9729))
            throw s.ErrorAt("magFilter", $"{mag} is not NEAREST (9728) or LINEAR (9729)");
        long min = s.OptionalInteger("minFilter", 9729, 0, int.MaxValue);
        if (min is not (9728 or 9729 or 9984 or 9985 or 9986 or 9987))
            throw s.ErrorAt("minFilter", $"{min} is not a glTF minification filter");
        return (Wrap(s, "wrapS"), Wrap(s, "wrapT"), mag == Nearest);
    }

    private static TextureWrap Wrap(GltfJson sampler, string property) =>
        (int)sampler.OptionalInteger(property, Repeat, 0, int.MaxValue) switch
        {
            Repeat => TextureWrap.Repeat,
            ClampToEdge => TextureWrap.ClampToEdge,
            MirroredRepeat => TextureWrap.MirroredRepeat,
            var other => throw sampler.ErrorAt(property, $"{other} is not REPEAT (10497), CLAMP_TO_EDGE (33071) or MIRRORED_REPEAT (33648)"),
        };

    private Texture2D DecodeImage(int index, TextureWrap wrapS, TextureWrap wrapT, bool nearest)
    {
        var img = _doc.Images[index];
        ReadOnlyMemory<byte> bytes;
        var uri = img.OptionalString("uri");
        int? view = img.OptionalIndex("bufferView", _doc.BufferViews.Count, "bufferViews");
        var mime = img.OptionalString("mimeType");
        if (uri is not null && view is not null)
            throw img.Error("an image has either a uri or a bufferView, not both");
        if (uri is not null)
            bytes = GltfUris.Load(uri, long.MaxValue, _doc.BaseDirectory, img, "uri", isImage: true);
        else if (view is int v)
        {
            if (mime is null) throw img.ErrorAt("mimeType", "an image stored in a bufferView needs a mimeType");
            bytes = _doc.BufferView(v).Bytes;
        }
        else
            throw img.Error("the image has neither a uri nor a bufferView");

        MLImage decoded;
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            decoded = MLImage.CreateFromStream(stream);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or OutOfMemoryException)
        {
            throw img.Error($"cannot decode the image{(uri is null ? "" : $" \"{uri}\"")}: {e.Message}");
        }
        using (decoded)
        {
            _doc.Spend((long)decoded.Width * decoded.Height * 3, img);
            var pixels = ImageFiles.Rgba(decoded);
            var linear = new float[decoded.Width * decoded.Height * 3];
            var table = SrgbTable.Value;
            for (int p = 0, q = 0; q < linear.Length; p += 4, q += 3)
            {
                linear[q] = table[pixels[p]];
                linear[q + 1] = table[pixels[p + 1]];
                linear[q + 2] = table[pixels[p + 2]];
            }
            return new Texture2D(decoded.Width, decoded.Height, linear, wrapS, wrapT, nearest);
        }
    }

    private static readonly Lazy<float[]> SrgbTable = new(() =>
    {
        var table = new float[256];
        for (int i = 0; i < 256; i++) table[i] = Texture2D.SrgbToLinear((byte)i);
        return table;
    });
}
