using System.Numerics;
using MLRobust.Rendering.Geometry;
using MLRobust.Rendering.Models;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Tests;

/// <summary>
/// The rasterizer against hand-computed expectations from the documented camera: focal length in
/// pixels f = W·35/36, camera at z = 3 looking down −Z, +Y up, pixel centres at +0.5, so a point
/// (x, y, 0) lands at (W/2 + f·x/3, H/2 − f·y/3).
/// </summary>
public class RasterizerTests
{
    private const int W = 64;
    private static readonly double F = W * 35.0 / 36.0;

    /// <summary>The world point at depth 3 (z = 0) that projects to pixel coordinates (px, py).</summary>
    private static Vector3 At(double px, double py) => new((float)((px - W / 2.0) * 3 / F), (float)(-(py - W / 2.0) * 3 / F), 0);

    /// <summary>Triangles given in pixel coordinates, each listed counter-clockwise as seen by the camera (clockwise on the y-down grid).</summary>
    private static Model3D Triangles(IEnumerable<(double X, double Y)[]> triangles, bool doubleSided = false, Vector3? normal = null)
    {
        var positions = new List<float>();
        var normals = new List<float>();
        foreach (var t in triangles)
            foreach (var (x, y) in t)
            {
                var p = At(x, y);
                positions.AddRange([p.X, p.Y, p.Z]);
                var n = normal ?? Vector3.UnitZ;
                normals.AddRange([n.X, n.Y, n.Z]);
            }
        var indices = Enumerable.Range(0, positions.Count / 3).ToArray();
        return new Model3D("test", [new Primitive3D(PrimitiveTopology.Triangles, positions.ToArray(), indices, Material3D.Grey(1, doubleSided), normals.ToArray())]);
    }

    /// <summary>An axis-aligned rectangle from (x0, y0) to (x1, y1) in pixels, as two front-facing triangles.</summary>
    private static (double, double)[][] Rectangle(double x0, double y0, double x1, double y1) =>
        [[(x0, y0), (x0, y1), (x1, y1)], [(x0, y0), (x1, y1), (x1, y0)]];

    private static RenderResult Render(Model3D model, int supersampling = 4, Pose? pose = null, bool culling = true) =>
        new Rasterizer(new RenderOptions { Width = W, Height = W, Supersampling = supersampling, BackFaceCulling = culling }).Render(model, pose ?? Pose.Identity);

    /// <summary>Sample centres (k + 0.5)/s with a ≤ centre &lt; b: the top-left rule includes left/top edges, excludes right/bottom ones.</summary>
    private static int SamplesIn(double a, double b, int s)
    {
        int n = 0;
        for (int k = 0; k < W * s; k++)
        {
            double c = (k + 0.5) / s;
            if (c >= a && c < b) n++;
        }
        return n;
    }

    [Fact]
    public void Square_with_edges_through_sample_centres_covers_exactly_its_pixels()
    {
        // 10.125 = (40 + 0.5)/4: the left and top edges run through sample centres and include them,
        // the right and bottom edges (30.125) exclude theirs, so exactly pixels 10..29 are covered, fully.
        var alpha = Render(Triangles(Rectangle(10.125, 10.125, 30.125, 30.125))).Alpha;
        for (int y = 0; y < W; y++)
            for (int x = 0; x < W; x++)
                Assert.Equal(x is >= 10 and < 30 && y is >= 10 and < 30 ? 1f : 0f, alpha[y * W + x]);
    }

    [Theory]
    [InlineData(10.3, 12.7, 30.8, 41.05)]
    [InlineData(5.01, 5.99, 60.49, 6.51)]
    [InlineData(0, 0, 64, 64)]
    public void Coverage_of_a_rectangle_counts_the_sample_centres_inside_it(double x0, double y0, double x1, double y1)
    {
        var alpha = Render(Triangles(Rectangle(x0, y0, x1, y1))).Alpha;
        double expected = SamplesIn(x0, x1, 4) * SamplesIn(y0, y1, 4) / 16.0;
        Assert.Equal(expected, alpha.Sum(a => (double)a), 6);
        // and that is the area up to a quarter pixel per edge
        Assert.InRange(Math.Abs(expected - (x1 - x0) * (y1 - y0)), 0, 0.25 * 2 * ((x1 - x0) + (y1 - y0)));
    }

    [Fact]
    public void Triangles_sharing_edges_through_sample_centres_cover_each_sample_once()
    {
        // An octagon fanned from its centre; every edge runs through pixel centres (one sample per pixel).
        (double, double) c = (32.5, 32.5);
        (double, double)[] rim = [(52.5, 32.5), (46.5, 18.5), (32.5, 12.5), (18.5, 18.5), (12.5, 32.5), (18.5, 46.5), (32.5, 52.5), (46.5, 46.5)];
        var fan = Enumerable.Range(0, 8).Select(i => new[] { c, rim[i], rim[(i + 1) % 8] }).ToArray();
        var union = Render(Triangles(fan), supersampling: 1).Alpha;
        var sum = new float[W * W];
        foreach (var t in fan)
        {
            var single = Render(Triangles([t]), supersampling: 1).Alpha;
            Assert.True(single.Sum() > 50);
            for (int i = 0; i < sum.Length; i++) sum[i] += single[i];
        }
        Assert.All(sum, s => Assert.True(s is 0f or 1f, $"a sample covered {s} times"));
        Assert.Equal(union, sum);
        // Samples on the shared spokes, strictly inside the octagon, are covered (no cracks).
        for (int k = 0; k < 14; k++) // the diagonal spoke ends at the rim vertex (46.5, 46.5), k = 14
        {
            Assert.Equal(1f, union[32 * W + 32 + k]);
            Assert.Equal(1f, union[(32 - k) * W + 32]);
            Assert.Equal(1f, union[(32 + k) * W + 32 + k]);
        }
    }

    [Fact]
    public void A_jittered_mesh_is_watertight_at_every_supersample()
    {
        // A 7x7 grid of vertices on 1/16-pixel positions, each cell split in two triangles.
        var rng = new Scenes.SceneRandom(42);
        var grid = new (double X, double Y)[7, 7];
        for (int j = 0; j < 7; j++)
            for (int i = 0; i < 7; i++)
            {
                double jx = i is 0 or 6 ? 0 : Math.Round(rng.Uniform(-3, 3) * 16) / 16, jy = j is 0 or 6 ? 0 : Math.Round(rng.Uniform(-3, 3) * 16) / 16;
                grid[i, j] = (8 + i * 8 + jx, 8 + j * 8 + jy);
            }
        var triangles = new List<(double, double)[]>();
        for (int j = 0; j < 6; j++)
            for (int i = 0; i < 6; i++)
            {
                var (tl, tr, bl, br) = (grid[i, j], grid[i + 1, j], grid[i, j + 1], grid[i + 1, j + 1]);
                triangles.Add([tl, bl, br]);
                triangles.Add([tl, br, tr]);
            }
        var sum = new double[W * W];
        foreach (var t in triangles)
        {
            var a = Render(Triangles([t])).Alpha;
            for (int p = 0; p < sum.Length; p++) sum[p] += a[p];
        }
        // Inside the square 8..56 every pixel's 16 samples are covered exactly once in total; outside, none.
        for (int y = 0; y < W; y++)
            for (int x = 0; x < W; x++)
                Assert.Equal(x is >= 8 and < 56 && y is >= 8 and < 56 ? 1.0 : 0.0, sum[y * W + x], 6);
    }

    [Theory]
    [InlineData(32, 32, 12)]
    [InlineData(31.3, 30.7, 9.5)]
    [InlineData(20.2, 41.9, 4)]
    public void Alpha_of_a_disc_matches_its_area_within_one_percent(double cx, double cy, double r)
    {
        const int n = 720;
        var fan = Enumerable.Range(0, n).Select(i =>
        {
            double a0 = 2 * Math.PI * i / n, a1 = 2 * Math.PI * (i + 1) / n;
            // y is flipped on the pixel grid, so increasing angle is counter-clockwise for the camera.
            return new[] { (cx, cy), (cx + r * Math.Cos(a0), cy - r * Math.Sin(a0)), (cx + r * Math.Cos(a1), cy - r * Math.Sin(a1)) };
        });
        double covered = Render(Triangles(fan)).Alpha.Sum(a => (double)a);
        Assert.InRange(covered / (Math.PI * r * r), 0.99, 1.01);
    }

    [Fact]
    public void Camera_projects_known_points_where_the_documented_formula_puts_them()
    {
        // f = 64·35/36 = 62.2222 px; x = 1 at depth 3 is 20.7407 px right of the centre.
        var (x, y, d) = Camera.Project(new Vector3(1, 0, 0), Pose.Identity, 64, 64);
        Assert.Equal(52.740741, x, 5); Assert.Equal(32, y, 9); Assert.Equal(3, d, 9);
        (x, y, d) = Camera.Project(new Vector3(0.5f, 0.25f, 1), Pose.Identity, 64, 64); // depth 2
        Assert.Equal(32 + 62.222222 * 0.25, x, 4); Assert.Equal(32 - 62.222222 * 0.125, y, 4); Assert.Equal(2, d, 6);
        (x, y, _) = Camera.Project(new Vector3(-1, 1, 0), Pose.Identity, 128, 96); // f = 124.4444, non-square image
        Assert.Equal(64 - 41.481481, x, 4); Assert.Equal(48 - 41.481481, y, 4);
        (x, _, _) = Camera.Project(new Vector3(0, 0, 0), new Pose(0, 0, 0) { ShiftX = 0.25f, ShiftY = 0.125f }, 64, 64);
        Assert.Equal(48, x, 6);
        Assert.Equal(54.432, 2 * Math.Atan(18.0 / 35.0) * 180 / Math.PI, 3);
        Assert.Equal(54.432, Camera.HorizontalFovRadians * 180 / Math.PI, 3);
    }

    [Fact]
    public void Pose_applies_Z_first_then_X_then_Y()
    {
        float h = MathF.PI / 2;
        // (1,0,0): Rz(90°) -> (0,1,0); Rx(90°) -> (0,0,1); Ry(90°) -> (1,0,0).
        Expect(new Vector3(1, 0, 0), new Pose(h, h, h), new Vector3(1, 0, 0));
        // Another order would differ: e.g. Y first gives (0,0,-1) -> ... ; check single axes and signs.
        Expect(new Vector3(1, 0, 0), new Pose(0, 0, h), new Vector3(0, 1, 0));   // +Z turns +X towards +Y
        Expect(new Vector3(0, 1, 0), new Pose(h, 0, 0), new Vector3(0, 0, 1));   // +X turns +Y towards the camera
        Expect(new Vector3(0, 0, 1), new Pose(0, h, 0), new Vector3(1, 0, 0));   // +Y turns +Z towards +X
        Expect(new Vector3(0, 1, 0), new Pose(h, h, 0), new Vector3(1, 0, 0));   // X then Y
        Expect(new Vector3(0, 0, 1), new Pose(h, h, 0), new Vector3(0, -1, 0));  // X first: +Z -> -Y; Y leaves -Y alone
        Expect(new Vector3(1, 0, 0), new Pose(0, 0, 0) { Scale = 2 }, new Vector3(2, 0, 0));

        static void Expect(Vector3 model, Pose pose, Vector3 world)
        {
            var got = Camera.Project(model, pose, 64, 64);
            var want = Camera.Project(world, Pose.Identity, 64, 64);
            Assert.Equal(want.X, got.X, 4); Assert.Equal(want.Y, got.Y, 4); Assert.Equal(want.Depth, got.Depth, 4);
        }
    }

    [Theory]
    [InlineData(0f, 0f, 0f)]
    [InlineData(0f, 0f, 0.4f)]
    [InlineData(0.3f, 0f, 0f)]
    [InlineData(0f, -0.45f, 0f)]
    [InlineData(0.2f, 0.3f, -0.25f)]
    public void An_asymmetric_model_turns_the_documented_way(float rx, float ry, float rz)
    {
        // A double-sided marker square (0.2 wide) at model point (0.8, 0.3, 0.2); its alpha centroid must sit
        // where the hand-written rotation R = Ry·Rx·Rz puts that point.
        var p = new Vector3(0.8f, 0.3f, 0.2f);
        const float s = 0.1f;
        float[] pos = [p.X - s, p.Y - s, p.Z, p.X + s, p.Y - s, p.Z, p.X + s, p.Y + s, p.Z, p.X - s, p.Y + s, p.Z];
        var marker = new Model3D("marker", [new Primitive3D(PrimitiveTopology.Triangles, pos, [0, 1, 2, 0, 2, 3], Material3D.Grey(1, doubleSided: true))]);
        var alpha = Render(marker, pose: new Pose(rx, ry, rz)).Alpha;
        double sum = 0, mx = 0, my = 0;
        for (int y = 0; y < W; y++)
            for (int x = 0; x < W; x++)
            {
                double a = alpha[y * W + x];
                sum += a; mx += a * (x + 0.5); my += a * (y + 0.5);
            }
        // Hand rotation: Z, then X, then Y.
        double x1 = p.X * Math.Cos(rz) - p.Y * Math.Sin(rz), y1 = p.X * Math.Sin(rz) + p.Y * Math.Cos(rz), z1 = p.Z;
        double y2 = y1 * Math.Cos(rx) - z1 * Math.Sin(rx), z2 = y1 * Math.Sin(rx) + z1 * Math.Cos(rx), x2 = x1;
        double x3 = x2 * Math.Cos(ry) + z2 * Math.Sin(ry), z3 = -x2 * Math.Sin(ry) + z2 * Math.Cos(ry), y3 = y2;
        double depth = 3 - z3;
        Assert.True(sum > 0.5, "the marker is visible");
        // Within a tenth of a pixel (sample quantisation and the perspective shift of a tilted square's centroid).
        Assert.InRange(mx / sum - (32 + F * x3 / depth), -0.1, 0.1);
        Assert.InRange(my / sum - (32 - F * y3 / depth), -0.1, 0.1);
    }

    [Fact]
    public void Back_faces_are_culled_unless_double_sided_or_culling_is_off()
    {
        var front = Rectangle(10, 10, 30, 30);
        var back = front.Select(t => t.Reverse().ToArray()).ToArray();
        Assert.Equal(400, Render(Triangles(front)).Alpha.Sum(), 3);
        Assert.Equal(0, Render(Triangles(back)).Alpha.Sum());
        Assert.Equal(400, Render(Triangles(back, doubleSided: true)).Alpha.Sum(), 3);
        Assert.Equal(400, Render(Triangles(back), culling: false).Alpha.Sum(), 3);
        // Turned half a turn about Y, the front face looks away: culled, unless double-sided.
        Assert.Equal(0, Render(Triangles(front), pose: new Pose(0, MathF.PI, 0)).Alpha.Sum());
        Assert.True(Render(Triangles(front, doubleSided: true), pose: new Pose(0, MathF.PI, 0)).Alpha.Sum() > 300);
        // A mirroring transform (negative determinant) keeps outward faces front-facing.
        var mirrored = Triangles(front).Transformed(Matrix4x4.CreateScale(-1, 1, 1));
        Assert.Equal(400, Render(mirrored).Alpha.Sum(), 3);
        var box = new MeshBuilder().AddBox(new Vector3(1), Matrix4x4.Identity, Material3D.Grey(1)).Build("box");
        Assert.Equal(Render(box, pose: new Pose(0.3f, 0.4f, 0)).Alpha, Render(box.Transformed(Matrix4x4.CreateScale(1, 1, -1)), pose: new Pose(0.3f, 0.4f, 0)).Alpha);
    }

    [Fact]
    public void A_face_towards_the_camera_is_lit_by_ambient_plus_sun()
    {
        // Default sun towards (−0.5, 0.5, 1): n·l = 1/√1.5 for n = +Z; intensity = 0.25 + 0.75·0.8165 = 0.86237.
        var r = Render(Triangles(Rectangle(10, 10, 30, 30)));
        Assert.Equal(0.25 + 0.75 / Math.Sqrt(1.5), r.Intensity[20 * W + 20], 5);
        // A face turned away from the sun gets ambient only.
        var dark = Render(Triangles(Rectangle(10, 10, 30, 30), normal: Vector3.Normalize(new Vector3(1, -1, 0))));
        Assert.Equal(0.25, dark.Intensity[20 * W + 20], 5);
    }

    [Fact]
    public void Rendering_is_deterministic()
    {
        var monkey = BuiltInModels.Create("monkey");
        var pose = new Pose(0.2f, -0.3f, 0.1f);
        var a = new Rasterizer().Render(monkey, pose);
        var other = new Rasterizer();
        other.Render(BuiltInModels.Create("penguin"), Pose.Identity); // dirty the buffers first
        var b = other.Render(monkey, pose);
        Assert.Equal(a.Alpha, b.Alpha);
        Assert.Equal(a.Intensity, b.Intensity);
        Assert.Contains(a.Alpha, x => x > 0 && x < 1); // anti-aliased edges
    }
}
