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
        // Fuselage along Z: cylinder, rounded nose, tapering tail lifted towards the fin.
        b.AddCylinder(0.15f, 1.5f, CreateRotationX(MathF.PI / 2) * CreateTranslation(0, 0, -0.6f), hull, 20);
        b.AddEllipsoid(new Vector3(0.15f, 0.15f, 0.35f), CreateTranslation(0, 0, 0.9f), hull, 20, 10);
        b.AddFrustum(0.15f, 0.05f, 0.6f, CreateRotationX(-MathF.PI / 2) * CreateRotationX(-0.12f) * CreateTranslation(0, 0.02f, -0.6f), hull, 20);
        // High wings, slightly swept, and four engines hanging below them.
        foreach (int side in new[] { -1, 1 })
        {
            b.AddEllipsoid(new Vector3(0.68f, 0.035f, 0.2f), CreateRotationY(side * 0.12f) * CreateTranslation(side * 0.66f, 0.11f, 0.05f), wing, 20, 6);
            foreach (float x in new[] { 0.42f, 0.82f })
                b.AddCylinder(0.065f, 0.3f, CreateRotationX(MathF.PI / 2) * CreateTranslation(side * x, 0.0f, 0.05f - side * x * 0.12f + 0.1f), engine, 12);
            // Tailplane.
            b.AddEllipsoid(new Vector3(0.3f, 0.025f, 0.1f), CreateRotationY(side * 0.2f) * CreateTranslation(side * 0.28f, 0.12f, -1.1f), wing, 14, 5);
        }
        // Fin.
        b.AddEllipsoid(new Vector3(0.025f, 0.34f, 0.17f), CreateRotationX(-0.35f) * CreateTranslation(0, 0.38f, -1.08f), wing, 12, 8);
        var plane = b.Build(BuiltInModels.Aeroplane);
        // Rest pose: nose to the right and a little up, seen from above and from the right side.
        var view = CreateRotationY(MathF.PI / 2) * CreateRotationZ(0.25f) * CreateRotationX(0.6f);
        return plane.Transformed(view);
    }
}
