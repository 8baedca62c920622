using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using MLRobust.Rendering.Geometry;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Tests;

/// <summary>
/// Camera and pose conventions checked against an independent NumPy implementation written from
/// renders/CONVENTIONS.md (reference_projection.py, run with /usr/bin/python3): both the public
/// projection and where the rasterizer actually draws.
/// </summary>
public class ProjectionReferenceTests
{
    private readonly record struct Case(Vector3 Point, Pose Pose, int Width, int Height);

    private static List<Case> Cases()
    {
        var random = new Random(20240611);
        float U(double lo, double hi) => (float)(lo + (hi - lo) * random.NextDouble());
        var cases = new List<Case>();
        for (int i = 0; i < 60; i++)
        {
            var pose = new Pose(U(-1.2, 1.2), U(-1.2, 1.2), U(-1.2, 1.2))
            {
                Scale = U(0.5, 1.5),
                ShiftX = i % 3 == 0 ? U(-0.2, 0.2) : 0,
                ShiftY = i % 3 == 0 ? U(-0.2, 0.2) : 0,
            };
            var (w, h) = (i % 4) switch { 0 => (64, 64), 1 => (128, 96), 2 => (50, 80), _ => (33, 33) };
            cases.Add(new Case(new Vector3(U(-0.8, 0.8), U(-0.8, 0.8), U(-0.8, 0.8)), pose, w, h));
        }
        return cases;
    }

    private static List<(double X, double Y, double Depth)> NumPy(IEnumerable<Case> cases)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "reference_projection.py");
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        foreach (var c in cases)
            process.StandardInput.WriteLine(string.Join(' ', new double[]
            {
                c.Point.X, c.Point.Y, c.Point.Z, c.Pose.Rx, c.Pose.Ry, c.Pose.Rz, c.Pose.Scale, c.Pose.ShiftX, c.Pose.ShiftY, c.Width, c.Height,
            }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "reference_projection.py failed (needs NumPy in /usr/bin/python3): " + error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            var p = l.Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return (p[0], p[1], p[2]);
        }).ToList();
    }

    [Fact]
    public void Camera_Project_matches_the_NumPy_reference()
    {
        var cases = Cases();
        var expected = NumPy(cases);
        Assert.Equal(cases.Count, expected.Count);
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var got = Camera.Project(c.Point, c.Pose, c.Width, c.Height);
            // Single-precision pose angles and the float model matrix: agreement to a thousandth of a pixel.
            Assert.True(Math.Abs(got.X - expected[i].X) < 1e-3 && Math.Abs(got.Y - expected[i].Y) < 1e-3 && Math.Abs(got.Depth - expected[i].Depth) < 1e-5,
                $"case {i} {c}: got ({got.X}, {got.Y}, {got.Depth}), NumPy says ({expected[i].X}, {expected[i].Y}, {expected[i].Depth})");
        }
    }

    [Fact]
    public void The_rasterizer_draws_a_small_patch_where_NumPy_projects_its_centre()
    {
        // A small double-sided square of side 0.12 around each point, facing +Z in model space; the
        // alpha-weighted centroid of its render must sit where NumPy projects the point.
        var cases = Cases().Where(c => c.Width == 64).Take(12).ToList();
        var expected = NumPy(cases);
        var rasterizer = new Rasterizer(new RenderOptions { Width = 64, Height = 64, Supersampling = 8 });
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            const float h = 0.06f;
            var p = c.Point;
            float[] positions =
            [
                p.X - h, p.Y - h, p.Z, p.X + h, p.Y - h, p.Z, p.X + h, p.Y + h, p.Z, p.X - h, p.Y + h, p.Z,
            ];
            var square = new Model3D("square", [new Primitive3D(PrimitiveTopology.Triangles, positions, [0, 1, 2, 0, 2, 3], Material3D.Grey(1, doubleSided: true))]);
            var alpha = rasterizer.Render(square, c.Pose).Alpha;
            double sum = 0, sx = 0, sy = 0;
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 64; x++)
                {
                    double a = alpha[y * 64 + x];
                    sum += a; sx += a * (x + 0.5); sy += a * (y + 0.5);
                }
            if (sum < 0.5) continue; // seen edge-on or off the image
            // The centroid of a perspective-projected square is not exactly the projected centre;
            // for a patch a few pixels wide the difference and the sampling error stay below 0.2 px.
            Assert.True(Math.Abs(sx / sum - expected[i].X) < 0.2 && Math.Abs(sy / sum - expected[i].Y) < 0.2,
                $"case {i} {c}: drawn around ({sx / sum:F3}, {sy / sum:F3}), NumPy projects to ({expected[i].X:F3}, {expected[i].Y:F3})");
        }
    }
}
