using System.Numerics;

namespace MLRobust.Rendering.Geometry;

/// <summary>
/// One drawable piece of a model in model space (node transforms already applied): vertex arrays
/// and an index list of points, segments or counter-clockwise triangles, with one material.
/// Arrays are owned by the primitive; do not change them after construction.
/// </summary>
public sealed class Primitive3D
{
    public Primitive3D(PrimitiveTopology topology, float[] positions, int[] indices, Material3D? material = null,
        float[]? normals = null, float[]? texCoords = null, float[]? colors = null)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(indices);
        if (positions.Length % 3 != 0)
            throw new ArgumentException($"positions must hold x,y,z triples; length {positions.Length} is not a multiple of 3", nameof(positions));
        int vertexCount = positions.Length / 3;
        if (normals is not null && normals.Length != positions.Length)
            throw new ArgumentException($"normals must hold {positions.Length} values (3 per vertex), got {normals.Length}", nameof(normals));
        if (texCoords is not null && texCoords.Length != vertexCount * 2)
            throw new ArgumentException($"texCoords must hold {vertexCount * 2} values (2 per vertex), got {texCoords.Length}", nameof(texCoords));
        if (colors is not null && colors.Length != positions.Length)
            throw new ArgumentException($"colors must hold {positions.Length} values (RGB per vertex), got {colors.Length}", nameof(colors));
        int per = topology switch { PrimitiveTopology.Points => 1, PrimitiveTopology.Lines => 2, _ => 3 };
        if (indices.Length % per != 0)
            throw new ArgumentException($"{topology} need {per} indices each; {indices.Length} is not a multiple of {per}", nameof(indices));
        foreach (var i in indices)
            if ((uint)i >= (uint)vertexCount)
                throw new ArgumentException($"index {i} is out of range for {vertexCount} vertices", nameof(indices));
        foreach (var p in positions)
            if (!float.IsFinite(p))
                throw new ArgumentException("positions must be finite", nameof(positions));
        Topology = topology;
        Positions = positions;
        Indices = indices;
        Material = material ?? Material3D.Default;
        Normals = normals;
        TexCoords = texCoords;
        Colors = colors;
    }

    public PrimitiveTopology Topology { get; }
    /// <summary>x,y,z per vertex.</summary>
    public float[] Positions { get; }
    /// <summary>Unit normals, x,y,z per vertex; null means flat (per-face) normals.</summary>
    public float[]? Normals { get; }
    /// <summary>u,v per vertex for the material's texture.</summary>
    public float[]? TexCoords { get; }
    /// <summary>Linear r,g,b per vertex, multiplied into the base colour (glTF COLOR_0).</summary>
    public float[]? Colors { get; }
    public int[] Indices { get; }
    public Material3D Material { get; }

    public int VertexCount => Positions.Length / 3;

    public int TriangleCount => Topology == PrimitiveTopology.Triangles ? Indices.Length / 3 : 0;

    /// <summary>Applies an affine transform (row-vector convention of System.Numerics), keeping triangles front-facing.</summary>
    public Primitive3D Transformed(Matrix4x4 transform)
    {
        var positions = new float[Positions.Length];
        for (int v = 0; v < VertexCount; v++)
        {
            var p = Vector3.Transform(new Vector3(Positions[3 * v], Positions[3 * v + 1], Positions[3 * v + 2]), transform);
            positions[3 * v] = p.X; positions[3 * v + 1] = p.Y; positions[3 * v + 2] = p.Z;
        }
        float[]? normals = null;
        if (Normals is not null)
        {
            normals = new float[Normals.Length];
            TransformNormals(Normals, normals, transform);
        }
        var indices = (int[])Indices.Clone();
        if (Topology == PrimitiveTopology.Triangles && Determinant3x3(transform) < 0)
            FlipWinding(indices);
        return new Primitive3D(Topology, positions, indices, Material, normals, TexCoords, Colors);
    }

    /// <summary>The determinant of the linear part; negative means the transform mirrors.</summary>
    public static float Determinant3x3(in Matrix4x4 m) =>
        m.M11 * (m.M22 * m.M33 - m.M23 * m.M32)
        - m.M12 * (m.M21 * m.M33 - m.M23 * m.M31)
        + m.M13 * (m.M21 * m.M32 - m.M22 * m.M31);

    /// <summary>Swaps the last two indices of each triangle, turning clockwise into counter-clockwise.</summary>
    public static void FlipWinding(int[] triangleIndices)
    {
        for (int t = 0; t + 2 < triangleIndices.Length; t += 3)
            (triangleIndices[t + 1], triangleIndices[t + 2]) = (triangleIndices[t + 2], triangleIndices[t + 1]);
    }

    /// <summary>Transforms normals by the inverse transpose of the linear part and renormalises them.</summary>
    internal static void TransformNormals(ReadOnlySpan<float> source, Span<float> destination, Matrix4x4 transform)
    {
        var linear = transform with { M41 = 0, M42 = 0, M43 = 0 };
        if (!Matrix4x4.Invert(linear, out var inverse))
            inverse = Matrix4x4.Identity; // a degenerate transform flattens the mesh; any normal will do
        var normalMatrix = Matrix4x4.Transpose(inverse);
        for (int i = 0; i + 2 < source.Length; i += 3)
        {
            var n = Vector3.TransformNormal(new Vector3(source[i], source[i + 1], source[i + 2]), normalMatrix);
            float len = n.Length();
            n = len > 1e-20f && float.IsFinite(len) ? n / len : Vector3.UnitZ;
            destination[i] = n.X; destination[i + 1] = n.Y; destination[i + 2] = n.Z;
        }
    }
}
