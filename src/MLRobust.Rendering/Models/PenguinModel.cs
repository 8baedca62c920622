using System.Numerics;
using MLRobust.Rendering.Geometry;
using static System.Numerics.Matrix4x4;

namespace MLRobust.Rendering.Models;

/// <summary>A Tux-like penguin standing upright: dark body and head, white belly and eye patches, orange beak and feet, flippers.</summary>
internal static class PenguinModel
{
    public static Model3D Build()
    {
        var black = Material3D.Grey(0.07f, name: "feathers");
        var white = Material3D.Grey(0.9f, name: "belly");
        var orange = new Material3D(new Vector4(1f, 0.5f, 0.05f, 1f), name: "beak");
        var b = new MeshBuilder();
        b.AddEllipsoid(new Vector3(0.68f, 0.85f, 0.58f), CreateTranslation(0, -0.25f, 0), black, 26, 14);
        b.AddEllipsoid(new Vector3(0.55f, 0.7f, 0.34f), CreateTranslation(0, -0.33f, 0.3f), white, 22, 12);
        b.AddEllipsoid(new Vector3(0.46f, 0.44f, 0.42f), CreateTranslation(0, 0.72f, 0.02f), black, 22, 12);
        foreach (int side in new[] { -1, 1 })
        {
            b.AddEllipsoid(new Vector3(0.15f, 0.2f, 0.07f), CreateRotationZ(side * -0.2f) * CreateTranslation(side * 0.15f, 0.8f, 0.37f), white, 12, 6);
            b.AddSphere(0.06f, CreateTranslation(side * 0.13f, 0.78f, 0.44f), black, 8, 5);
            // Flippers hang down and out from the shoulders.
            b.AddEllipsoid(new Vector3(0.11f, 0.52f, 0.24f), CreateRotationZ(side * 0.45f) * CreateTranslation(side * 0.72f, -0.2f, 0), black, 12, 8);
            // Feet point forward.
            b.AddEllipsoid(new Vector3(0.24f, 0.07f, 0.32f), CreateRotationY(side * 0.3f) * CreateTranslation(side * 0.27f, -1.08f, 0.22f), orange, 12, 6);
        }
        b.AddEllipsoid(new Vector3(0.2f, 0.08f, 0.22f), CreateTranslation(0, 0.6f, 0.46f), orange, 12, 6);
        return b.Build(BuiltInModels.Penguin);
    }
}
