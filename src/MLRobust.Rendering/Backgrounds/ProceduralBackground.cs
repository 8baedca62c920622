using MLRobust.Rendering.Scenes;

namespace MLRobust.Rendering.Backgrounds;

/// <summary>
/// Natural-image-like greyscale backgrounds without photos: the dead-leaves model (random shaded
/// ellipses occluding each other, radii drawn from a scale-invariant r⁻³ law, which gives the 1/f²
/// power spectrum and sharp occlusion edges of natural images) plus fractal value noise for texture.
/// Every choice comes from the seed, so a seed is a background.
/// </summary>
public sealed class ProceduralBackground : IBackgroundSource
{
    /// <summary>Smallest leaf radius, as a fraction of the larger image side.</summary>
    public float MinLeafRadius { get; init; } = 0.03f;

    /// <summary>Largest leaf radius, as a fraction of the larger image side.</summary>
    public float MaxLeafRadius { get; init; } = 0.5f;

    /// <summary>Most leaves drawn; pixels still uncovered after them keep mid grey.</summary>
    public int MaxLeaves { get; init; } = 5000;

    /// <summary>Largest grey-level change across a leaf (a linear shading gradient).</summary>
    public float LeafShading { get; init; } = 0.15f;

    /// <summary>Peak amplitude of the fractal noise added on top (0 = none).</summary>
    public float NoiseAmplitude { get; init; } = 0.08f;

    /// <summary>Octaves of noise, from cells a quarter of the image wide, each half the size and amplitude of the last.</summary>
    public int NoiseOctaves { get; init; } = 4;

    public static ProceduralBackground Default { get; } = new();

    public void Fill(Span<float> pixels, int width, int height, ulong seed)
    {
        BackgroundChecks.Size(pixels, width, height);
        Validate();
        var rng = new SceneRandom(SceneRandom.Mix(seed ^ 0xDEAD1EAF5UL));
        int n = width * height;
        var image = pixels[..n];
        var transmit = new float[n]; // how much of each pixel the leaves drawn so far still let through
        Array.Fill(transmit, 1f);
        image.Clear();
        DeadLeaves(image, transmit, width, height, ref rng);
        AddNoise(image, width, height, ref rng);
    }

    private void Validate()
    {
        if (!(MinLeafRadius > 0 && MinLeafRadius <= MaxLeafRadius && float.IsFinite(MaxLeafRadius)))
            throw new ArgumentOutOfRangeException(nameof(MinLeafRadius), $"need 0 < MinLeafRadius <= MaxLeafRadius, got {MinLeafRadius} and {MaxLeafRadius}");
        if (MaxLeaves < 1) throw new ArgumentOutOfRangeException(nameof(MaxLeaves), MaxLeaves, "at least one leaf");
        if (!(LeafShading >= 0 && LeafShading <= 1)) throw new ArgumentOutOfRangeException(nameof(LeafShading), LeafShading, "must be in [0, 1]");
        if (!(NoiseAmplitude >= 0 && NoiseAmplitude <= 1)) throw new ArgumentOutOfRangeException(nameof(NoiseAmplitude), NoiseAmplitude, "must be in [0, 1]");
        if (NoiseOctaves < 0 || NoiseOctaves > 16) throw new ArgumentOutOfRangeException(nameof(NoiseOctaves), NoiseOctaves, "must be in [0, 16]");
    }

    /// <summary>
    /// Draws leaves front to back: each new leaf lies behind all earlier ones, so it only shows through
    /// what they let through. That is the same image as dropping them back to front, but it can stop as
    /// soon as every pixel is covered.
    /// </summary>
    private void DeadLeaves(Span<float> image, float[] transmit, int width, int height, ref SceneRandom rng)
    {
        double side = Math.Max(width, height);
        double rMin = Math.Max(0.5, MinLeafRadius * side), rMax = Math.Max(rMin, MaxLeafRadius * side);
        double a = 1 / (rMin * rMin), b = 1 / (rMax * rMax);
        int uncovered = image.Length;
        // Pixels outside this box are all covered; leaves that miss it change nothing and are skipped.
        int ux0 = 0, ux1 = width - 1, uy0 = 0, uy1 = height - 1;
        for (int leaf = 0; leaf < MaxLeaves && uncovered > 0; leaf++)
        {
            if ((leaf & 31) == 31) UncoveredBox(transmit, width, height, ref ux0, ref ux1, ref uy0, ref uy1);
            // Inverse CDF of p(r) ∝ r⁻³ on [rMin, rMax].
            double r = 1 / Math.Sqrt(a - rng.NextDouble() * (a - b));
            double cx = rng.Uniform(-rMax, width + rMax), cy = rng.Uniform(-rMax, height + rMax);
            double aspect = rng.Uniform(0.5, 1), angle = rng.Uniform(0, Math.PI);
            double level = rng.Uniform(0.05, 0.95);
            double gradient = rng.Uniform(-LeafShading, LeafShading) / 2, gradientAngle = rng.Uniform(0, 2 * Math.PI);
            double ra = r, rb = r * aspect;
            int x0 = (int)Math.Max(ux0, Math.Floor(cx - ra - 1)), x1 = (int)Math.Min(ux1, Math.Ceiling(cx + ra + 1));
            int y0 = (int)Math.Max(uy0, Math.Floor(cy - ra - 1)), y1 = (int)Math.Min(uy1, Math.Ceiling(cy + ra + 1));
            if (x0 > x1 || y0 > y1) continue;
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            double gx = Math.Cos(gradientAngle) * gradient / r, gy = Math.Sin(gradientAngle) * gradient / r;
            // About one pixel of anti-aliasing across the rim, measured along the minor axis:
            // coverage = clamp((1 − d)·rb + 0.5), which is 0 beyond d = 1 + 0.5/rb and 1 inside d = 1 − 0.5/rb.
            double outer = 1 + 0.5 / rb, inner = Math.Max(0, 1 - 0.5 / rb);
            double outer2 = outer * outer, inner2 = inner * inner;
            for (int y = y0; y <= y1; y++)
            {
                double dy = y + 0.5 - cy;
                for (int x = x0; x <= x1; x++)
                {
                    int at = y * width + x;
                    float t = transmit[at];
                    if (t == 0) continue;
                    double dx = x + 0.5 - cx;
                    double u = (dx * cos + dy * sin) / ra, v = (-dx * sin + dy * cos) / rb;
                    double q = u * u + v * v;
                    if (q >= outer2) continue;
                    double coverage = q <= inner2 ? 1 : Math.Clamp((1 - Math.Sqrt(q)) * rb + 0.5, 0, 1);
                    if (coverage <= 0) continue;
                    double value = Math.Clamp(level + gx * dx + gy * dy, 0, 1);
                    image[at] += (float)(t * coverage * value);
                    t *= (float)(1 - coverage);
                    if (t < 1e-3f)
                    {
                        t = 0;
                        uncovered--;
                    }
                    transmit[at] = t;
                }
            }
        }
        for (int i = 0; i < image.Length; i++)
            if (transmit[i] > 0) image[i] += transmit[i] * 0.5f;
    }

    private static void UncoveredBox(float[] transmit, int width, int height, ref int x0, ref int x1, ref int y0, ref int y1)
    {
        int nx0 = int.MaxValue, nx1 = -1, ny0 = int.MaxValue, ny1 = -1;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                if (transmit[y * width + x] > 0)
                {
                    nx0 = Math.Min(nx0, x); nx1 = Math.Max(nx1, x);
                    ny0 = Math.Min(ny0, y); ny1 = Math.Max(ny1, y);
                }
        if (nx1 < 0) { x0 = y0 = 0; x1 = y1 = -1; return; }
        (x0, x1, y0, y1) = (nx0, nx1, ny0, ny1);
    }

    /// <summary>Fractal value noise: smooth interpolation of random lattice values, octave by octave.</summary>
    private void AddNoise(Span<float> image, int width, int height, ref SceneRandom rng)
    {
        if (NoiseAmplitude == 0 || NoiseOctaves == 0)
        {
            Clamp(image);
            return;
        }
        double cell = Math.Max(width, height) / 4.0;
        double amplitude = 1, total = 0;
        for (int o = 0; o < NoiseOctaves; o++) { total += amplitude; amplitude /= 2; }
        amplitude = NoiseAmplitude / total;
        for (int o = 0; o < NoiseOctaves; o++)
        {
            ulong octaveSeed = rng.NextUInt64();
            int cw = (int)Math.Ceiling(width / cell) + 2, ch = (int)Math.Ceiling(height / cell) + 2;
            var lattice = new float[cw * ch];
            var latticeRng = new SceneRandom(octaveSeed);
            for (int i = 0; i < lattice.Length; i++) lattice[i] = (float)latticeRng.Uniform(-1, 1);
            var ix = new int[width];
            var tx = new float[width];
            for (int x = 0; x < width; x++)
            {
                double fx = (x + 0.5) / cell;
                ix[x] = (int)fx;
                tx[x] = (float)Smooth(fx - ix[x]);
            }
            float amp = (float)amplitude;
            for (int y = 0; y < height; y++)
            {
                double fy = (y + 0.5) / cell;
                int iy = (int)fy;
                float ty = (float)Smooth(fy - iy);
                int top = iy * cw, bottom = top + cw;
                var row = image.Slice(y * width, width);
                for (int x = 0; x < width; x++)
                {
                    int i = ix[x];
                    float t = tx[x];
                    float upper = lattice[top + i] + (lattice[top + i + 1] - lattice[top + i]) * t;
                    float lower = lattice[bottom + i] + (lattice[bottom + i + 1] - lattice[bottom + i]) * t;
                    row[x] += amp * (upper + (lower - upper) * ty);
                }
            }
            cell /= 2;
            amplitude /= 2;
        }
        Clamp(image);
    }

    private static double Smooth(double t) => t * t * (3 - 2 * t);

    private static void Clamp(Span<float> image)
    {
        for (int i = 0; i < image.Length; i++) image[i] = Math.Clamp(image[i], 0f, 1f);
    }
}
