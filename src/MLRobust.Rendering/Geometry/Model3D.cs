using System.Numerics;

namespace MLRobust.Rendering.Geometry;

/// <summary>
/// A renderable model: named primitives in one model space (glTF axes: +Y up, front towards +Z).
/// Immutable; the transforming methods return new models.
/// </summary>
public sealed class Model3D
{
    public Model3D(string name, IEnumerable<Primitive3D> primitives)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(primitives);
        Name = name;
        Primitives = primitives.ToArray();
        foreach (var p in Primitives)
        {
            TriangleCount += p.TriangleCount;
            VertexCount += p.VertexCount;
        }
    }

    public string Name { get; }
    public IReadOnlyList<Primitive3D> Primitives { get; }
    public int TriangleCount { get; }
    public int VertexCount { get; }

    /// <summary>The axis-aligned bounding box of all vertices; zero-size at the origin for an empty model.</summary>
    public (Vector3 Min, Vector3 Max) Bounds
    {
        get
        {
            var min = new Vector3(float.PositiveInfinity);
            var max = new Vector3(float.NegativeInfinity);
            foreach (var prim in Primitives)
                for (int i = 0; i < prim.Positions.Length; i += 3)
                {
                    var p = new Vector3(prim.Positions[i], prim.Positions[i + 1], prim.Positions[i + 2]);
                    min = Vector3.Min(min, p);
                    max = Vector3.Max(max, p);
                }
            return min.X <= max.X ? (min, max) : (Vector3.Zero, Vector3.Zero);
        }
    }

    public Model3D WithName(string name) => new(name, Primitives);

    public Model3D Transformed(Matrix4x4 transform) => new(Name, Primitives.Select(p => p.Transformed(transform)));

    /// <summary>
    /// Moves the bounding-box centre to the origin and scales uniformly so that the farthest vertex
    /// lies at <paramref name="radius"/> from it (the models' own size is kept unless this is asked for).
    /// </summary>
    public Model3D Normalized(float radius = 1f)
    {
        if (!(radius > 0) || !float.IsFinite(radius))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "radius must be a positive finite number");
        var (min, max) = Bounds;
        var centre = (min + max) / 2;
        float farthest = 0;
        foreach (var prim in Primitives)
            for (int i = 0; i < prim.Positions.Length; i += 3)
                farthest = MathF.Max(farthest, Vector3.Distance(centre, new Vector3(prim.Positions[i], prim.Positions[i + 1], prim.Positions[i + 2])));
        float scale = farthest > 0 ? radius / farthest : 1f;
        return Transformed(Matrix4x4.CreateTranslation(-centre) * Matrix4x4.CreateScale(scale));
    }
}
