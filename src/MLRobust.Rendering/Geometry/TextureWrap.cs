namespace MLRobust.Rendering.Geometry;

/// <summary>How texture coordinates outside [0, 1] are folded back (the glTF sampler wrap modes).</summary>
public enum TextureWrap
{
    Repeat,
    ClampToEdge,
    MirroredRepeat,
}
