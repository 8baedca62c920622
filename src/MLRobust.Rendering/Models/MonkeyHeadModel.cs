using System.Numerics;
using MLRobust.Rendering.Geometry;
using static System.Numerics.Matrix4x4;

namespace MLRobust.Rendering.Models;

/// <summary>A Suzanne-like monkey head: a wide skull, big ears out to the sides, a pale face with large eyes and a muzzle.</summary>
internal static class MonkeyHeadModel
{
    public static Model3D Build()
    {
        var skin = Material3D.Grey(0.55f, name: "skin");
        var face = Material3D.Grey(0.85f, name: "face");
        var pupil = Material3D.Grey(0.06f, name: "pupil");
        var b = new MeshBuilder();
        // Skull, slightly wider than tall, with a brow ridge.
        b.AddEllipsoid(new Vector3(0.82f, 0.78f, 0.74f), CreateTranslation(0, 0.08f, -0.05f), skin, 28, 14);
        b.AddEllipsoid(new Vector3(0.62f, 0.2f, 0.3f), CreateTranslation(0, 0.42f, 0.45f), skin, 18, 8);
        // Ears: flat discs sticking out sideways, turned a little towards the front.
        foreach (int side in new[] { -1, 1 })
        {
            b.AddEllipsoid(new Vector3(0.4f, 0.44f, 0.1f), CreateRotationY(side * -0.45f) * CreateTranslation(side * 1.02f, 0.18f, -0.12f), skin, 20, 10);
            b.AddEllipsoid(new Vector3(0.26f, 0.3f, 0.06f), CreateRotationY(side * -0.45f) * CreateTranslation(side * 1.0f, 0.18f, -0.04f), face, 14, 8);
            // Eye region and pupils.
            b.AddEllipsoid(new Vector3(0.27f, 0.3f, 0.18f), CreateRotationZ(side * 0.35f) * CreateTranslation(side * 0.3f, 0.16f, 0.6f), face, 16, 8);
            b.AddEllipsoid(new Vector3(0.1f, 0.12f, 0.06f), CreateTranslation(side * 0.3f, 0.16f, 0.77f), pupil, 10, 6);
        }
        // Muzzle and chin.
        b.AddEllipsoid(new Vector3(0.5f, 0.34f, 0.42f), CreateTranslation(0, -0.36f, 0.42f), face, 22, 10);
        b.AddEllipsoid(new Vector3(0.3f, 0.06f, 0.1f), CreateTranslation(0, -0.42f, 0.82f), pupil, 12, 5);
        return b.Build(BuiltInModels.Monkey);
    }
}
