using System.Numerics;

namespace MLRobust.Rendering.Geometry;

/// <summary>
/// Builds models from simple solids — ellipsoids, cylinders, cones, boxes — each placed by a
/// transform (System.Numerics row-vector convention: scale, then rotate, then translate) and
/// painted with a material. Parts sharing a material are merged into one primitive.
/// Solids are closed and wound counter-clockwise seen from outside, with outward normals.
/// </summary>
public sealed class MeshBuilder
{
    private sealed class Batch
    {
        public readonly List<float> Positions = new();
        public readonly List<float> Normals = new();
        public readonly List<int> Indices = new();
    }

    private readonly List<(Material3D Material, Batch Batch)> _batches = new();

    private Batch For(Material3D material)
    {
        foreach (var (m, b) in _batches)
            if (ReferenceEquals(m, material)) return b;
        var batch = new Batch();
        _batches.Add((material, batch));
        return batch;
    }

    /// <summary>An ellipsoid centred at the origin with semi-axes <paramref name="radii"/>, smooth-shaded.</summary>
    public MeshBuilder AddEllipsoid(Vector3 radii, Matrix4x4 transform, Material3D material, int segments = 24, int rings = 12)
    {
        CheckPositive(radii, nameof(radii));
        if (segments < 3) throw new ArgumentOutOfRangeException(nameof(segments), segments, "at least 3 segments");
        if (rings < 2) throw new ArgumentOutOfRangeException(nameof(rings), rings, "at least 2 rings");
        var positions = new List<Vector3>();
        var normals = new List<Vector3>();
        var indices = new List<int>();
        // Poles are single vertices; rings run from the top (+Y) to the bottom (-Y).
        positions.Add(new Vector3(0, radii.Y, 0)); normals.Add(Vector3.UnitY);
        for (int r = 1; r < rings; r++)
        {
            double theta = Math.PI * r / rings;
            for (int s = 0; s < segments; s++)
            {
                double phi = 2 * Math.PI * s / segments;
                var unit = new Vector3((float)(Math.Sin(theta) * Math.Sin(phi)), (float)Math.Cos(theta), (float)(Math.Sin(theta) * Math.Cos(phi)));
                positions.Add(unit * radii);
                normals.Add(Vector3.Normalize(unit / radii));
            }
        }
        positions.Add(new Vector3(0, -radii.Y, 0)); normals.Add(-Vector3.UnitY);
        int bottom = positions.Count - 1;
        int Ring(int r, int s) => 1 + (r - 1) * segments + (s % segments);
        for (int s = 0; s < segments; s++)
        {
            indices.AddRange([0, Ring(1, s), Ring(1, s + 1)]);
            for (int r = 1; r < rings - 1; r++)
                Quad(indices, Ring(r, s), Ring(r + 1, s), Ring(r + 1, s + 1), Ring(r, s + 1));
            indices.AddRange([bottom, Ring(rings - 1, s + 1), Ring(rings - 1, s)]);
        }
        return Append(material, transform, positions, normals, indices);
    }

    /// <summary>A sphere of the given radius.</summary>
    public MeshBuilder AddSphere(float radius, Matrix4x4 transform, Material3D material, int segments = 24, int rings = 12) =>
        AddEllipsoid(new Vector3(radius), transform, material, segments, rings);

    /// <summary>
    /// A frustum along +Y from y = 0 (radius <paramref name="bottomRadius"/>) to y = <paramref name="height"/>
    /// (radius <paramref name="topRadius"/>), with flat caps; a zero radius makes a cone tip.
    /// </summary>
    public MeshBuilder AddFrustum(float bottomRadius, float topRadius, float height, Matrix4x4 transform, Material3D material, int segments = 24)
    {
        if (!(bottomRadius >= 0) || !(topRadius >= 0) || !(bottomRadius + topRadius > 0))
            throw new ArgumentOutOfRangeException(nameof(bottomRadius), "radii must be >= 0 and not both zero");
        if (!(height > 0)) throw new ArgumentOutOfRangeException(nameof(height), height, "height must be positive");
        if (segments < 3) throw new ArgumentOutOfRangeException(nameof(segments), segments, "at least 3 segments");
        var positions = new List<Vector3>();
        var normals = new List<Vector3>();
        var indices = new List<int>();
        // Side: the normal tilts by the slope of the side.
        float slope = (bottomRadius - topRadius) / height;
        for (int s = 0; s <= segments; s++)
        {
            double phi = 2 * Math.PI * s / segments;
            float sin = (float)Math.Sin(phi), cos = (float)Math.Cos(phi);
            var n = Vector3.Normalize(new Vector3(sin, slope, cos));
            positions.Add(new Vector3(bottomRadius * sin, 0, bottomRadius * cos)); normals.Add(n);
            positions.Add(new Vector3(topRadius * sin, height, topRadius * cos)); normals.Add(n);
        }
        for (int s = 0; s < segments; s++)
        {
            int b0 = 2 * s, t0 = 2 * s + 1, b1 = 2 * s + 2, t1 = 2 * s + 3;
            if (bottomRadius > 0) indices.AddRange([b0, b1, t0]);
            if (topRadius > 0) indices.AddRange([t0, b1, t1]);
        }
        if (bottomRadius > 0) Cap(positions, normals, indices, bottomRadius, 0, -1, segments);
        if (topRadius > 0) Cap(positions, normals, indices, topRadius, height, 1, segments);
        return Append(material, transform, positions, normals, indices);
    }

    /// <summary>A cylinder along +Y from y = 0 to <paramref name="height"/>.</summary>
    public MeshBuilder AddCylinder(float radius, float height, Matrix4x4 transform, Material3D material, int segments = 24) =>
        AddFrustum(radius, radius, height, transform, material, segments);

    /// <summary>A cone along +Y, base at y = 0, tip at y = <paramref name="height"/>.</summary>
    public MeshBuilder AddCone(float radius, float height, Matrix4x4 transform, Material3D material, int segments = 24) =>
        AddFrustum(radius, 0, height, transform, material, segments);

    /// <summary>An axis-aligned box centred at the origin with edge lengths <paramref name="size"/>, flat-shaded.</summary>
    public MeshBuilder AddBox(Vector3 size, Matrix4x4 transform, Material3D material)
    {
        CheckPositive(size, nameof(size));
        var h = size / 2;
        var positions = new List<Vector3>();
        var normals = new List<Vector3>();
        var indices = new List<int>();
        Vector3[] axes = [Vector3.UnitX, -Vector3.UnitX, Vector3.UnitY, -Vector3.UnitY, Vector3.UnitZ, -Vector3.UnitZ];
        foreach (var n in axes)
        {
            // Two tangents u, v with u × v = n, so corners listed (-u-v, +u-v, +u+v, -u+v) run counter-clockwise.
            var u = MathF.Abs(n.Y) > 0.5f ? Vector3.UnitZ * MathF.Sign(n.Y) : Vector3.Cross(Vector3.UnitY, n);
            var v = Vector3.Cross(n, u);
            int start = positions.Count;
            foreach (var (a, b) in new[] { (-1, -1), (1, -1), (1, 1), (-1, 1) })
            {
                positions.Add((n + a * u + b * v) * h);
                normals.Add(n);
            }
            Quad(indices, start, start + 1, start + 2, start + 3);
        }
        return Append(material, transform, positions, normals, indices);
    }

    /// <summary>Adds every triangle primitive of <paramref name="model"/> under <paramref name="transform"/>, keeping materials.</summary>
    public MeshBuilder Add(Model3D model, Matrix4x4 transform)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var prim in model.Primitives)
        {
            if (prim.Topology != PrimitiveTopology.Triangles) continue;
            var p = prim.Transformed(transform);
            var batch = For(p.Material);
            int offset = batch.Positions.Count / 3;
            batch.Positions.AddRange(p.Positions);
            if (p.Normals is not null) batch.Normals.AddRange(p.Normals);
            else batch.Normals.AddRange(FlatFallbackNormals(p));
            foreach (var i in p.Indices) batch.Indices.Add(i + offset);
        }
        return this;
    }

    public Model3D Build(string name) =>
        new(name, _batches.Select(b => new Primitive3D(PrimitiveTopology.Triangles, b.Batch.Positions.ToArray(), b.Batch.Indices.ToArray(),
            b.Material, b.Batch.Normals.ToArray())));

    private MeshBuilder Append(Material3D material, Matrix4x4 transform, List<Vector3> positions, List<Vector3> normals, List<int> indices)
    {
        ArgumentNullException.ThrowIfNull(material);
        var raw = new float[positions.Count * 3];
        var rawNormals = new float[positions.Count * 3];
        for (int i = 0; i < positions.Count; i++)
        {
            raw[3 * i] = positions[i].X; raw[3 * i + 1] = positions[i].Y; raw[3 * i + 2] = positions[i].Z;
            rawNormals[3 * i] = normals[i].X; rawNormals[3 * i + 1] = normals[i].Y; rawNormals[3 * i + 2] = normals[i].Z;
        }
        var part = new Primitive3D(PrimitiveTopology.Triangles, raw, indices.ToArray(), material, rawNormals).Transformed(transform);
        var batch = For(material);
        int offset = batch.Positions.Count / 3;
        batch.Positions.AddRange(part.Positions);
        batch.Normals.AddRange(part.Normals!);
        foreach (var i in part.Indices) batch.Indices.Add(i + offset);
        return this;
    }

    private static void Cap(List<Vector3> positions, List<Vector3> normals, List<int> indices, float radius, float y, int direction, int segments)
    {
        var n = new Vector3(0, direction, 0);
        int centre = positions.Count;
        positions.Add(new Vector3(0, y, 0)); normals.Add(n);
        for (int s = 0; s < segments; s++)
        {
            double phi = 2 * Math.PI * s / segments;
            positions.Add(new Vector3(radius * (float)Math.Sin(phi), y, radius * (float)Math.Cos(phi)));
            normals.Add(n);
        }
        for (int s = 0; s < segments; s++)
        {
            int a = centre + 1 + s, b = centre + 1 + (s + 1) % segments;
            // (centre, a, b) has normal +Y; the bottom cap reverses it.
            if (direction > 0) indices.AddRange([centre, a, b]);
            else indices.AddRange([centre, b, a]);
        }
    }

    private static void Quad(List<int> indices, int a, int b, int c, int d) => indices.AddRange([a, b, c, a, c, d]);

    private static void CheckPositive(Vector3 v, string name)
    {
        if (!(v.X > 0 && v.Y > 0 && v.Z > 0) || !float.IsFinite(v.X + v.Y + v.Z))
            throw new ArgumentOutOfRangeException(name, v, "every component must be positive and finite");
    }

    private static float[] FlatFallbackNormals(Primitive3D p)
    {
        var normals = new float[p.Positions.Length];
        var pos = p.Positions;
        for (int t = 0; t + 2 < p.Indices.Length; t += 3)
        {
            int a = p.Indices[t], b = p.Indices[t + 1], c = p.Indices[t + 2];
            var pa = new Vector3(pos[3 * a], pos[3 * a + 1], pos[3 * a + 2]);
            var n = Vector3.Cross(new Vector3(pos[3 * b], pos[3 * b + 1], pos[3 * b + 2]) - pa, new Vector3(pos[3 * c], pos[3 * c + 1], pos[3 * c + 2]) - pa);
            foreach (var v in new[] { a, b, c })
            {
                normals[3 * v] += n.X; normals[3 * v + 1] += n.Y; normals[3 * v + 2] += n.Z;
            }
        }
        for (int v = 0; v < normals.Length; v += 3)
        {
            var n = new Vector3(normals[v], normals[v + 1], normals[v + 2]);
            n = n.Length() > 0 ? Vector3.Normalize(n) : Vector3.UnitY;
            normals[v] = n.X; normals[v + 1] = n.Y; normals[v + 2] = n.Z;
        }
        return normals;
    }
}
