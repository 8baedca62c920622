namespace MLRobust.Rendering.Geometry;

/// <summary>What the indices of a <see cref="Primitive3D"/> list: strips, fans and loops are expanded on load.</summary>
public enum PrimitiveTopology
{
    /// <summary>One index per point, drawn as a small screen-space square.</summary>
    Points,
    /// <summary>Two indices per segment, drawn as a thin screen-space band.</summary>
    Lines,
    /// <summary>Three indices per triangle, front faces counter-clockwise seen from outside.</summary>
    Triangles,
}
