using System.Numerics;
using Microsoft.ML.Data;
using MLRobust.Rendering.Backgrounds;

namespace MLRobust.Rendering.Tests;

public class BackgroundTests
{
    private static float[] Procedural(ulong seed, int w = 64, int h = 64)
    {
        var pixels = new float[w * h];
        ProceduralBackground.Default.Fill(pixels, w, h, seed);
        return pixels;
    }

    [Fact]
    public void Procedural_backgrounds_are_a_function_of_the_seed_in_the_unit_range()
    {
        Assert.Equal(Procedural(5), Procedural(5));
        Assert.NotEqual(Procedural(5), Procedural(6));
        var p = Procedural(11, 50, 30);
        Assert.All(p, v => Assert.InRange(v, 0f, 1f));
        // Spread over the grey range, not one flat level.
        Assert.True(p.Max() - p.Min() > 0.5f);
        double mean = p.Average(), sd = Math.Sqrt(p.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(sd, 0.1, 0.4);
    }

    [Fact]
    public void Procedural_backgrounds_have_a_natural_image_power_spectrum()
    {
        // Natural images have power ∝ 1/f^α with α ≈ 2; white noise has α = 0. Average 8 backgrounds'
        // radially averaged power spectra (naive 2-D DFT) and fit the log-log slope over 2..20 cycles.
        const int n = 64;
        var power = new double[n];
        var counts = new int[n];
        for (ulong seed = 0; seed < 8; seed++)
        {
            var img = Procedural(seed);
            double mean = img.Average();
            var rows = new Complex[n, n];
            for (int y = 0; y < n; y++)
                for (int u = 0; u < n; u++)
                {
                    Complex s = 0;
                    for (int x = 0; x < n; x++) s += (img[y * n + x] - mean) * Complex.Exp(new Complex(0, -2 * Math.PI * u * x / n));
                    rows[y, u] = s;
                }
            for (int u = 0; u < n; u++)
                for (int v = 0; v < n; v++)
                {
                    Complex s = 0;
                    for (int y = 0; y < n; y++) s += rows[y, u] * Complex.Exp(new Complex(0, -2 * Math.PI * v * y / n));
                    int fu = u <= n / 2 ? u : n - u, fv = v <= n / 2 ? v : n - v;
                    int f = (int)Math.Round(Math.Sqrt(fu * fu + fv * fv));
                    if (f < n) { power[f] += s.Magnitude * s.Magnitude; counts[f]++; }
                }
        }
        var xs = new List<double>();
        var ys = new List<double>();
        for (int f = 2; f <= 20; f++) { xs.Add(Math.Log(f)); ys.Add(Math.Log(power[f] / counts[f])); }
        double mx = xs.Average(), my = ys.Average();
        double slope = xs.Zip(ys, (x, y) => (x - mx) * (y - my)).Sum() / xs.Sum(x => (x - mx) * (x - mx));
        Assert.InRange(slope, -3.0, -1.5);
    }

    private static void WritePhoto(string path, int w, int h, Func<int, int, byte> value)
    {
        var pixels = new byte[w * h * 4];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int p = 4 * (y * w + x);
                pixels[p] = pixels[p + 1] = pixels[p + 2] = value(x, y);
                pixels[p + 3] = 255;
            }
        // MLImage picks the format from the extension (.png or .jpg).
        using var image = MLImage.CreateFromPixels(w, h, MLPixelFormat.Rgba32, pixels);
        image.Save(path);
    }

    [Fact]
    public void Photo_split_is_by_photo_deterministic_and_disjoint()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp["sub"]);
        for (int i = 0; i < 10; i++) WritePhoto(temp[(i % 2 == 0 ? "sub/" : "") + $"p{i}.png"], 40, 30, (_, _) => (byte)(20 * i + 10));
        File.WriteAllText(temp["notes.txt"], "not a photo");
        var (train, test) = PhotoBackground.SplitFiles(temp.Path, 0.3);
        Assert.Equal(3, test.Count);
        Assert.Equal(7, train.Count);
        Assert.Empty(train.Intersect(test));
        Assert.Equal(10, train.Union(test).Count());
        Assert.Equal((train, test), PhotoBackground.SplitFiles(temp.Path, 0.3), new SplitComparer());

        // Test-split backgrounds only ever show test photos: each photo is one flat grey level.
        var testLevels = test.Select(f => int.Parse(Path.GetFileNameWithoutExtension(f)[1..]) * 20 + 10).ToHashSet();
        var source = new PhotoBackground(temp.Path, BackgroundSplit.Test, 0.3);
        var seen = new HashSet<int>();
        var pixels = new float[16 * 16];
        for (ulong seed = 0; seed < 40; seed++)
        {
            source.Fill(pixels, 16, 16, seed);
            int level = (int)Math.Round(pixels[0] * 255);
            Assert.All(pixels, v => Assert.Equal(level / 255f, v, 5));
            Assert.Contains(level, testLevels);
            seen.Add(level);
        }
        Assert.Equal(testLevels, seen);
    }

    private sealed class SplitComparer : IEqualityComparer<(IReadOnlyList<string>, IReadOnlyList<string>)>
    {
        public bool Equals((IReadOnlyList<string>, IReadOnlyList<string>) a, (IReadOnlyList<string>, IReadOnlyList<string>) b) =>
            a.Item1.SequenceEqual(b.Item1) && a.Item2.SequenceEqual(b.Item2);
        public int GetHashCode((IReadOnlyList<string>, IReadOnlyList<string>) obj) => 0;
    }

    [Fact]
    public void A_whole_photo_crop_box_filters_it_to_the_output_size()
    {
        // A 256x256 ramp (value = x) cropped whole (crop fraction 1) to 64 px: output pixel u averages
        // photo columns 4u..4u+3, i.e. (4u + 1.5)/255; mirrored crops run the other way.
        using var temp = new TempFolder();
        WritePhoto(temp["ramp.png"], 256, 256, (x, _) => (byte)x);
        var source = new PhotoBackground(temp.Path) { MinCropFraction = 1, MaxCropFraction = 1 };
        var pixels = new float[64 * 64];
        bool sawFlip = false, sawPlain = false;
        for (ulong seed = 0; seed < 6; seed++)
        {
            source.Fill(pixels, 64, 64, seed);
            bool flipped = pixels[0] > pixels[63];
            (flipped ? ref sawFlip : ref sawPlain) = true;
            for (int y = 0; y < 64; y += 9)
                for (int u = 0; u < 64; u++)
                    Assert.InRange(Math.Abs((4 * (flipped ? 63 - u : u) + 1.5) / 255 - pixels[y * 64 + u]), 0, 1e-5);
        }
        Assert.True(sawFlip && sawPlain);
    }

    [Fact]
    public void Random_crops_stay_inside_the_photo_range_and_jpegs_load()
    {
        using var temp = new TempFolder();
        WritePhoto(temp["a.jpg"], 300, 200, (x, y) => (byte)(60 + (x + y) % 100));
        var source = new PhotoBackground(temp.Path);
        var pixels = new float[32 * 32];
        for (ulong seed = 0; seed < 10; seed++)
        {
            source.Fill(pixels, 32, 32, seed);
            Assert.All(pixels, v => Assert.InRange(v, 40 / 255f, 180 / 255f));
        }
    }

    [Fact]
    public void Bad_photo_folders_name_the_problem()
    {
        using var temp = new TempFolder();
        Assert.Throws<DirectoryNotFoundException>(() => new PhotoBackground(temp["missing"]));
        Assert.Contains("no .jpg", Assert.Throws<InvalidDataException>(() => new PhotoBackground(temp.Path)).Message);
        File.WriteAllText(temp["broken.png"], "not a png at all");
        var source = new PhotoBackground(temp.Path);
        Assert.Contains("broken.png", Assert.Throws<InvalidDataException>(() => source.Fill(new float[64], 8, 8, 1)).Message);
        Assert.Contains("Test split", Assert.Throws<InvalidDataException>(() => new PhotoBackground(temp.Path, BackgroundSplit.Test)).Message);
    }

    [Fact]
    public void Compositing_is_image_times_alpha_plus_background_times_one_minus_alpha()
    {
        float[] image = [1f, 0.5f, 0.2f, 0f], alpha = [1f, 0.5f, 0.25f, 0f], bg = [0f, 0.3f, 1f, 0.7f];
        var output = new float[4];
        Compositing.Composite(image, alpha, bg, output);
        Assert.Equal([1f, 0.4f, 0.8f, 0.7f], output.Select(v => MathF.Round(v, 6)));
        Assert.Throws<ArgumentException>(() => Compositing.Composite(image, alpha, bg, new float[3]));
    }

    [Fact]
    public void Contrast_stretch_maps_the_quantile_range_to_the_unit_range()
    {
        // 101 values 0.30, 0.301, ..., 0.40: the 1% and 99% quantiles are 0.301 and 0.399.
        var values = Enumerable.Range(0, 101).Select(i => 0.3f + i * 0.001f).ToArray();
        Compositing.ContrastStretch(values);
        Assert.Equal(0f, values[0]);
        Assert.Equal(0f, values[1], 5);
        Assert.Equal(0.5f, values[50], 4);
        Assert.Equal(1f, values[99], 5);
        Assert.Equal(1f, values[100]);
        var flat = Enumerable.Repeat(0.4f, 10).ToArray();
        Compositing.ContrastStretch(flat);
        Assert.All(flat, v => Assert.Equal(0.4f, v));
    }
}
