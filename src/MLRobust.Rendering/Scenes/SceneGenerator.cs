using MLRobust.Rendering.Backgrounds;
using MLRobust.Rendering.Geometry;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Scenes;

/// <summary>
/// The checked, resolved form of <see cref="SyntheticSceneOptions"/>: describes and renders any row.
/// Row i draws, from the stream <see cref="SceneRandom.ForRow"/>(seed, i) and in this order: the None
/// decision, the model, rx, ry, rz, the scale, the x and y shifts, and the background seed.
/// Thread-safe; rendering needs one <see cref="Rasterizer"/> per thread.
/// </summary>
internal sealed class SceneGenerator
{
    private readonly SyntheticSceneOptions _options;
    private readonly RenderOptions _render;

    public SceneGenerator(SyntheticSceneOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        Validate(_options);
        Seed = seed;
        Models = SceneModels.Resolve(_options);
        LabelNames = [.. Models.Select(m => m.Name), SceneColumns.NoneLabel];
        Size = _options.ImageSize;
        Count = _options.Poses is { } poses ? (long)poses.Length * Models.Count : _options.Count;
        if (Count > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(options), Count, "Models × Poses is more rows than a view holds (2^31 − 1).");
        NoneFraction = _options.Poses is not null ? 0 : _options.NoneFraction ?? 1f / (Models.Count + 1);
        Background = _options.BackgroundSource ?? _options.Backgrounds switch
        {
            BackgroundKind.None => UniformBackground.Black,
            BackgroundKind.Procedural => ProceduralBackground.Default,
            BackgroundKind.Photos => new PhotoBackground(
                _options.BackgroundFolder ?? throw new ArgumentException("Backgrounds = Photos needs BackgroundFolder.", nameof(options)),
                _options.BackgroundSplit, _options.BackgroundTestFraction),
            _ => throw new ArgumentOutOfRangeException(nameof(options), _options.Backgrounds, "unknown background kind"),
        };
        _render = _options.RenderOptions?.Clone() ?? new RenderOptions();
        _render.Width = _render.Height = Size;
        _render.Supersampling = _options.Supersampling;
        _ = new Rasterizer(_render); // validates the render options now rather than in a cursor
    }

    public int Seed { get; }
    public IReadOnlyList<Model3D> Models { get; }
    /// <summary>The model names then "None"; key k of the Label column is item k − 1.</summary>
    public IReadOnlyList<string> LabelNames { get; }
    public int Size { get; }
    public long Count { get; }
    public float NoneFraction { get; }
    public IBackgroundSource Background { get; }
    public int BatchSize => _options.BatchSize;
    public int MaxDegreeOfParallelism => _options.MaxDegreeOfParallelism ?? Environment.ProcessorCount;

    private static void Validate(SyntheticSceneOptions o)
    {
        const string p = "options";
        if (o.Count < 0) throw new ArgumentOutOfRangeException(p, o.Count, "Count must be >= 0.");
        if (o.ImageSize < 1 || o.ImageSize > 4096) throw new ArgumentOutOfRangeException(p, o.ImageSize, "ImageSize must be in [1, 4096].");
        if (o.Supersampling < 1 || o.Supersampling > 16) throw new ArgumentOutOfRangeException(p, o.Supersampling, "Supersampling must be in [1, 16].");
        if (o.NoneFraction is float f && !(f >= 0 && f <= 1)) throw new ArgumentOutOfRangeException(p, f, "NoneFraction must be in [0, 1].");
        if (!(o.AngleRange >= 0) || !float.IsFinite(o.AngleRange)) throw new ArgumentOutOfRangeException(p, o.AngleRange, "AngleRange must be finite and >= 0.");
        if (!(o.MinScale > 0 && o.MinScale <= o.MaxScale && float.IsFinite(o.MaxScale)))
            throw new ArgumentOutOfRangeException(p, $"need 0 < MinScale <= MaxScale, got {o.MinScale} and {o.MaxScale}.");
        if (!(o.MaxShift >= 0) || !float.IsFinite(o.MaxShift)) throw new ArgumentOutOfRangeException(p, o.MaxShift, "MaxShift must be finite and >= 0.");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(p, o.BatchSize, "BatchSize must be >= 1.");
        if (o.MaxDegreeOfParallelism is int d && d < 1) throw new ArgumentOutOfRangeException(p, d, "MaxDegreeOfParallelism must be >= 1.");
        if (o.Poses is { } poses)
            for (int i = 0; i < poses.Length; i++)
            {
                var q = poses[i];
                if (!float.IsFinite(q.Rx) || !float.IsFinite(q.Ry) || !float.IsFinite(q.Rz) || !float.IsFinite(q.ShiftX) || !float.IsFinite(q.ShiftY) || !(q.Scale > 0) || !float.IsFinite(q.Scale))
                    throw new ArgumentOutOfRangeException(p, q, $"Poses[{i}] needs finite angles and shifts and a positive finite scale.");
            }
    }

    public Rasterizer CreateRasterizer() => new(_render);

    public SceneDescription Describe(long row)
    {
        if ((ulong)row >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(row), row, $"the view has {Count} rows");
        int none = Models.Count;
        if (_options.Poses is { } poses)
        {
            int model = (int)(row / poses.Length);
            var rng = SceneRandom.ForRow(Seed, row);
            return new SceneDescription(row, model, LabelNames[model], false, poses[row % poses.Length], rng.NextUInt64());
        }
        var r = SceneRandom.ForRow(Seed, row);
        bool isNone = r.NextDouble() < NoneFraction;
        int pick = r.NextInt(Models.Count);
        float range = _options.AngleRange;
        float rx = (float)r.Uniform(-range, range), ry = (float)r.Uniform(-range, range), rz = (float)r.Uniform(-range, range);
        float scale = (float)r.Uniform(_options.MinScale, _options.MaxScale);
        float shiftX = (float)r.Uniform(-_options.MaxShift, _options.MaxShift), shiftY = (float)r.Uniform(-_options.MaxShift, _options.MaxShift);
        ulong backgroundSeed = r.NextUInt64();
        int label = isNone ? none : pick;
        var pose = isNone ? Pose.Identity : new Pose(rx, ry, rz) { Scale = scale, ShiftX = shiftX, ShiftY = shiftY };
        return new SceneDescription(row, label, LabelNames[label], isNone, pose, backgroundSeed);
    }

    /// <summary>
    /// Renders what is asked of row <paramref name="d"/> into S·S buffers (null ones are skipped).
    /// <paramref name="intensity"/> and <paramref name="background"/> are scratch of S·S floats.
    /// </summary>
    public void Render(in SceneDescription d, Rasterizer rasterizer, float[] intensity, float[] background,
        float[]? image, float[]? clean, float[]? alpha)
    {
        var coverage = alpha ?? new float[Size * Size];
        if (image is null && clean is null && alpha is null) return;
        if (d.IsNone)
        {
            Array.Clear(intensity);
            Array.Clear(coverage);
        }
        else
            rasterizer.Render(Models[d.LabelIndex], d.Pose, intensity, coverage);
        if (clean is not null)
            for (int i = 0; i < clean.Length; i++) clean[i] = intensity[i] * coverage[i];
        if (image is not null)
        {
            Background.Fill(background, Size, Size, d.BackgroundSeed);
            Compositing.Composite(intensity, coverage, background, image);
            if (_options.ContrastStretch) Compositing.ContrastStretch(image);
        }
    }

    public SyntheticScene RenderScene(long row, Rasterizer? rasterizer = null)
    {
        var d = Describe(row);
        int n = Size * Size;
        float[] image = new float[n], clean = new float[n], alpha = new float[n];
        Render(d, rasterizer ?? CreateRasterizer(), new float[n], new float[n], image, clean, alpha);
        return new SyntheticScene(d, image, clean, alpha);
    }
}
