using System.Numerics;

namespace MLRobust.Rendering.Geometry;

/// <summary>
/// The part of a glTF material a greyscale rasterizer needs: the linear base colour factor, an
/// optional base colour texture (multiplied in), and whether back faces are drawn.
/// </summary>
public sealed class Material3D
{
    public Material3D(Vector4 baseColor, bool doubleSided = false, Texture2D? baseColorTexture = null, string? name = null)
    {
        if (!float.IsFinite(baseColor.X) || !float.IsFinite(baseColor.Y) || !float.IsFinite(baseColor.Z) || !float.IsFinite(baseColor.W))
            throw new ArgumentException($"base colour must be finite, got {baseColor}", nameof(baseColor));
        BaseColor = baseColor;
        DoubleSided = doubleSided;
        BaseColorTexture = baseColorTexture;
        Name = name;
    }

    /// <summary>The glTF default material: white, single-sided, untextured.</summary>
    public static Material3D Default { get; } = new(Vector4.One);

    /// <summary>A single-sided untextured grey of the given linear level.</summary>
    public static Material3D Grey(float level, bool doubleSided = false, string? name = null) =>
        new(new Vector4(level, level, level, 1), doubleSided, null, name);

    /// <summary>Linear RGBA multiplier (glTF baseColorFactor).</summary>
    public Vector4 BaseColor { get; }
    public bool DoubleSided { get; }
    public Texture2D? BaseColorTexture { get; }
    public string? Name { get; }

    /// <summary>Rec. 709 luminance weights, used to turn linear RGB into one grey level.</summary>
    public static readonly Vector3 LuminanceWeights = new(0.2126f, 0.7152f, 0.0722f);
}
