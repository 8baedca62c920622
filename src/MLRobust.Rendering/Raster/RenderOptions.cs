using System.Numerics;

namespace MLRobust.Rendering.Raster;

/// <summary>Image size, anti-aliasing and lighting of a <see cref="Rasterizer"/>.</summary>
public sealed class RenderOptions
{
    /// <summary>Output width in pixels.</summary>
    public int Width = 64;

    /// <summary>Output height in pixels.</summary>
    public int Height = 64;

    /// <summary>Samples per pixel along each axis (4 = a 4x4 ordered grid, 16 samples per pixel).</summary>
    public int Supersampling = 4;

    /// <summary>Direction towards the sun in world (= camera) axes; it is normalised. Default: upper left, in front.</summary>
    public Vector3 SunDirection = new(-0.5f, 0.5f, 1f);

    /// <summary>Light reaching every surface, whatever its orientation.</summary>
    public float Ambient = 0.25f;

    /// <summary>Strength of the sun: intensity = albedo · (Ambient + SunIntensity · max(0, n·l)).</summary>
    public float SunIntensity = 0.75f;

    /// <summary>Cull back faces of single-sided materials (glTF doubleSided = false).</summary>
    public bool BackFaceCulling = true;

    /// <summary>Side of the square drawn for a point primitive, in pixels.</summary>
    public float PointSize = 1f;

    /// <summary>Width of the band drawn for a line primitive, in pixels.</summary>
    public float LineWidth = 1f;

    /// <summary>The largest side accepted, so the sample grid stays well inside the fixed-point range.</summary>
    public const int MaxSide = 16384;

    internal void Validate()
    {
        if (Width < 1 || Width > MaxSide) throw new ArgumentOutOfRangeException(nameof(Width), Width, $"Width must be in [1, {MaxSide}]");
        if (Height < 1 || Height > MaxSide) throw new ArgumentOutOfRangeException(nameof(Height), Height, $"Height must be in [1, {MaxSide}]");
        if (Supersampling < 1 || Supersampling > 16) throw new ArgumentOutOfRangeException(nameof(Supersampling), Supersampling, "Supersampling must be in [1, 16]");
        if ((long)Width * Height * Supersampling * Supersampling > 1L << 28)
            throw new ArgumentOutOfRangeException(nameof(Supersampling), $"{Width}x{Height} with {Supersampling}x{Supersampling} samples is more than 2^28 samples");
        if (!(SunDirection.Length() > 0) || !float.IsFinite(SunDirection.Length()))
            throw new ArgumentException($"SunDirection must be a finite non-zero vector, got {SunDirection}", nameof(SunDirection));
        if (!float.IsFinite(Ambient) || Ambient < 0) throw new ArgumentOutOfRangeException(nameof(Ambient), Ambient, "Ambient must be finite and >= 0");
        if (!float.IsFinite(SunIntensity) || SunIntensity < 0) throw new ArgumentOutOfRangeException(nameof(SunIntensity), SunIntensity, "SunIntensity must be finite and >= 0");
        if (!(PointSize > 0) || PointSize > 1024) throw new ArgumentOutOfRangeException(nameof(PointSize), PointSize, "PointSize must be in (0, 1024]");
        if (!(LineWidth > 0) || LineWidth > 1024) throw new ArgumentOutOfRangeException(nameof(LineWidth), LineWidth, "LineWidth must be in (0, 1024]");
    }

    public RenderOptions Clone() => (RenderOptions)MemberwiseClone();
}
