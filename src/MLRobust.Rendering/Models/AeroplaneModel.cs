using System.Numerics;
using MLRobust.Rendering.Geometry;
using static System.Numerics.Matrix4x4;

namespace MLRobust.Rendering.Models;

/// <summary>
/// An Antonov-like transport aeroplane: long fuselage, high straight wings with four engines, a tall
/// fin and a tailplane. Built nose-forward (+Z) and then turned so the rest pose shows it from above
/// and to the side, the view in which an aeroplane is recognised.
/// </summary>
internal static class AeroplaneModel
{
    public static Model3D Build()
    {
        var hull = Material3D.Grey(0.75f, name: "fuselage");
        var wing = Material3D.Grey(0.55f, name: "wings");
        var engine = Material3D.Grey(0.2f, name: "engines");
        var b = new MeshBuilder();
        // Fuselage along Z: a wide cylinder, rounded nose, tail tapering up towards the fin.
        b.AddCylinder(0.17f, 1.5f, CreateRotationX(MathF.PI / 2) * CreateTranslation(0, 0, -0.6f), hull, 20);
        b.AddEllipsoid(new Vector3(0.17f, 0.17f, 0.34f), CreateTranslation(0, 0, 0.9f), hull, 20, 10);
        b.AddFrustum(0.17f, 0.05f, 0.62f, CreateRotationX(-MathF.PI / 2) * CreateRotationX(-0.14f) * CreateTranslation(0, 0.01f, -0.6f), hull, 20);
        // High wings, swept back a little, each carrying two engines.
        foreach (int side in new[] { -1, 1 })
        {
            b.AddEllipsoid(new Vector3(0.78f, 0.03f, 0.13f), CreateRotationY(side * 0.16f) * CreateTranslation(side * 0.74f, 0.13f, 0.08f), wing, 24, 6);
            foreach (float x in new[] { 0.42f, 0.8f })
            {
                // Under the wing, following its sweep, the nacelle poking out ahead of the leading edge.
                float z = 0.08f - (x - 0.74f) * 0.16f;
                b.AddCylinder(0.055f, 0.28f, CreateRotationX(MathF.PI / 2) * CreateTranslation(side * x, 0.07f, z - 0.1f), engine, 12);
            }
            // Tailplane.
            b.AddEllipsoid(new Vector3(0.32f, 0.02f, 0.07f), CreateRotationY(side * 0.3f) * CreateTranslation(side * 0.3f, 0.12f, -1.12f), wing, 16, 5);
        }
        // Fin, leaning back.
        b.AddEllipsoid(new Vector3(0.022f, 0.34f, 0.13f), CreateRotationX(-0.4f) * CreateTranslation(0, 0.4f, -1.1f), wing, 12, 8);
        var plane = b.Build(BuiltInModels.Aeroplane);
        // Rest pose: nose to the left and a little up, seen from above and from the side.
        var view = CreateRotationY(-MathF.PI / 2) * CreateRotationZ(-0.25f) * CreateRotationX(0.6f);
        return plane.Transformed(view);
    }
}
