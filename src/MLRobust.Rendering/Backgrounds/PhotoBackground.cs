using MLRobust.Rendering.Images;
using Microsoft.ML.Data;
using MLRobust.Rendering.Scenes;

namespace MLRobust.Rendering.Backgrounds;

/// <summary>
/// Backgrounds cut from the user's photos: every JPEG/PNG under a folder (recursively), converted to
/// greyscale; each background is a square crop at a random position and a random scale (log-uniform
/// between <see cref="MinCropFraction"/> and <see cref="MaxCropFraction"/> of the photo's shorter side),
/// optionally mirrored, resampled to the requested size. Train and test draw from disjoint photos
/// (<see cref="SplitFiles"/>). Photos are decoded on first use and kept, reduced by an integer box
/// filter so their shorter side is at most <see cref="MaxPhotoSide"/>.
/// </summary>
public sealed class PhotoBackground : IBackgroundSource
{
    private readonly Lazy<Photo>[] _photos;

    public PhotoBackground(string folder, BackgroundSplit split = BackgroundSplit.All, double testFraction = 0.2)
    {
        var (train, test) = SplitFiles(folder, testFraction);
        Files = split switch
        {
            BackgroundSplit.All => train.Concat(test).OrderBy(f => f, StringComparer.Ordinal).ToArray(),
            BackgroundSplit.Train => train,
            BackgroundSplit.Test => test,
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "unknown split"),
        };
        if (Files.Count == 0)
            throw new InvalidDataException($"Background folder '{folder}' has no photos in the {split} split (it holds {train.Count + test.Count}; a split needs at least 2 photos).");
        Folder = folder;
        _photos = Files.Select(f => new Lazy<Photo>(() => Photo.Load(f, MaxPhotoSide), LazyThreadSafetyMode.ExecutionAndPublication)).ToArray();
    }

    public string Folder { get; }

    /// <summary>The photos this source draws from, full paths.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The smallest crop, as a fraction of a photo's shorter side.</summary>
    public float MinCropFraction { get; init; } = 0.15f;

    /// <summary>The largest crop, as a fraction of a photo's shorter side.</summary>
    public float MaxCropFraction { get; init; } = 1f;

    /// <summary>Mirror half of the crops left to right.</summary>
    public bool RandomFlip { get; init; } = true;

    /// <summary>Photos are kept with their shorter side reduced to at most this many pixels.</summary>
    public int MaxPhotoSide { get; init; } = 1024;

    /// <summary>
    /// The photos under <paramref name="folder"/> split by photo: files are ordered by a hash of their
    /// path relative to the folder (stable across machines and unaffected by adding other files), and
    /// the first round(n·testFraction) of them, at least one, form the test set. With one photo only,
    /// it is in the training set and the test set is empty.
    /// </summary>
    public static (IReadOnlyList<string> Train, IReadOnlyList<string> Test) SplitFiles(string folder, double testFraction = 0.2)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!(testFraction > 0 && testFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "the test fraction must be between 0 and 1 exclusive");
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Background folder '{folder}' does not exist.");
        var root = Path.GetFullPath(folder);
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png")
            .Select(f => (Path: f, Key: Fnv1a(Path.GetRelativePath(root, f).Replace('\\', '/'))))
            .OrderBy(f => f.Key).ThenBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => f.Path).ToArray();
        if (files.Length == 0) throw new InvalidDataException($"Background folder '{folder}' holds no .jpg, .jpeg or .png files.");
        int testCount = files.Length < 2 ? 0 : Math.Clamp((int)Math.Round(files.Length * testFraction), 1, files.Length - 1);
        var test = files[..testCount].OrderBy(f => f, StringComparer.Ordinal).ToArray();
        var train = files[testCount..].OrderBy(f => f, StringComparer.Ordinal).ToArray();
        return (train, test);
    }

    public void Fill(Span<float> pixels, int width, int height, ulong seed)
    {
        BackgroundChecks.Size(pixels, width, height);
        if (!(MinCropFraction > 0 && MinCropFraction <= MaxCropFraction && MaxCropFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinCropFraction), $"need 0 < MinCropFraction <= MaxCropFraction <= 1, got {MinCropFraction} and {MaxCropFraction}");
        var rng = new SceneRandom(SceneRandom.Mix(seed ^ 0x9407051DEUL));
        var photo = _photos[rng.NextInt(_photos.Length)].Value;
        // The crop keeps the output's aspect ratio; its longer side is a fraction of the photo's shorter side.
        double shortSide = Math.Min(photo.Width, photo.Height);
        double fraction = Math.Exp(rng.Uniform(Math.Log(MinCropFraction), Math.Log(MaxCropFraction)));
        double longer = Math.Max(1, fraction * shortSide);
        double cropW = longer * width / Math.Max(width, height), cropH = longer * height / Math.Max(width, height);
        double x0 = rng.Uniform(0, photo.Width - cropW), y0 = rng.Uniform(0, photo.Height - cropH);
        bool flip = RandomFlip && rng.NextDouble() < 0.5;
        double stepX = cropW / width, stepY = cropH / height;
        // Box-filter by sampling each output pixel on an n×n grid of bilinear taps.
        int n = Math.Clamp((int)Math.Ceiling(Math.Max(stepX, stepY)), 1, 4);
        float inv = 1f / (n * n);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int sx = flip ? width - 1 - x : x;
                float sum = 0;
                for (int j = 0; j < n; j++)
                    for (int i = 0; i < n; i++)
                        sum += photo.Sample(x0 + (sx + (i + 0.5) / n) * stepX, y0 + (y + (j + 0.5) / n) * stepY);
                pixels[y * width + x] = sum * inv;
            }
    }

    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return SceneRandom.Mix(hash);
    }

    /// <summary>A decoded greyscale photo, values in [0, 1].</summary>
    private sealed class Photo
    {
        private readonly float[] _pixels;

        private Photo(int width, int height, float[] pixels)
        {
            Width = width;
            Height = height;
            _pixels = pixels;
        }

        public int Width { get; }
        public int Height { get; }

        public static Photo Load(string path, int maxSide)
        {
            if (maxSide < 1) throw new ArgumentOutOfRangeException(nameof(maxSide), maxSide, "MaxPhotoSide must be positive");
            using var image = ImageFiles.Read(path);
            int w = image.Width, h = image.Height;
            int factor = Math.Max(1, (Math.Min(w, h) + maxSide - 1) / maxSide);
            int ow = Math.Max(1, w / factor), oh = Math.Max(1, h / factor);
            var pixels = new float[ow * oh];
            var source = ImageFiles.Luma(image);
            float scale = 1f / (255f * factor * factor);
            for (int y = 0; y < oh; y++)
                for (int x = 0; x < ow; x++)
                {
                    int sum = 0;
                    for (int j = 0; j < factor; j++)
                    {
                        int row = (y * factor + j) * w + x * factor;
                        for (int i = 0; i < factor; i++) sum += source[row + i];
                    }
                    pixels[y * ow + x] = sum * scale;
                }
            return new Photo(ow, oh, pixels);
        }

        /// <summary>Bilinear sample at continuous pixel coordinates (pixel centres at +0.5), clamped at the edges.</summary>
        public float Sample(double x, double y)
        {
            double fx = Math.Clamp(x - 0.5, 0, Width - 1), fy = Math.Clamp(y - 0.5, 0, Height - 1);
            int ix = Math.Min((int)fx, Width - 2 < 0 ? 0 : Width - 2), iy = Math.Min((int)fy, Height - 2 < 0 ? 0 : Height - 2);
            int ix1 = Math.Min(ix + 1, Width - 1), iy1 = Math.Min(iy + 1, Height - 1);
            float tx = (float)(fx - ix), ty = (float)(fy - iy);
            float top = _pixels[iy * Width + ix] * (1 - tx) + _pixels[iy * Width + ix1] * tx;
            float bottom = _pixels[iy1 * Width + ix] * (1 - tx) + _pixels[iy1 * Width + ix1] * tx;
            return top * (1 - ty) + bottom * ty;
        }
    }
}
