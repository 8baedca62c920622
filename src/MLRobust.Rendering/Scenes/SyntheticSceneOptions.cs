using MLRobust.Rendering.Backgrounds;
using MLRobust.Rendering.Geometry;
using MLRobust.Rendering.Models;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Scenes;

/// <summary>
/// What <c>ml.Data.LoadFromSyntheticScenes</c> renders. Every row is a pure function of
/// (<see cref="Seed"/>, row index) and these options. See renders/CONVENTIONS.md for the camera,
/// pose, lighting and compositing.
/// </summary>
public sealed class SyntheticSceneOptions
{
    /// <summary>The objects, in label order: built-in model names (monkey, penguin, aeroplane) or .glb/.gltf file paths.
    /// Labels are the built-in names or the file names without extension.</summary>
    public string[] ModelNames = [.. BuiltInModels.Names];

    /// <summary>Models given directly; when set, used instead of <see cref="ModelNames"/>, labelled by their <see cref="Model3D.Name"/>.</summary>
    public Model3D[]? Models;

    /// <summary>Scales every model about its bounding-box centre so its farthest vertex is this far away; null keeps the models' own size.</summary>
    public float? NormalizeModelRadius;

    /// <summary>Rows in the view (ignored when <see cref="Poses"/> is set).</summary>
    public int Count = 1000;

    /// <summary>Width and height of every image, in pixels.</summary>
    public int ImageSize = 64;

    /// <summary>Samples per pixel along each axis (4 = 4x4).</summary>
    public int Supersampling = 4;

    /// <summary>The dataset's seed; null takes the next seed of the MLContext.</summary>
    public int? Seed;

    /// <summary>Fraction of rows that show a background alone (label None); null gives every class the same share, 1/(models + 1).</summary>
    public float? NoneFraction;

    /// <summary>Each Euler angle is drawn uniformly from [−AngleRange, AngleRange] radians (the paper: 0.5).</summary>
    public float AngleRange = 0.5f;

    /// <summary>Uniform scale drawn from [MinScale, MaxScale] (1 and 1: the models' own size).</summary>
    public float MinScale = 1f;

    /// <inheritdoc cref="MinScale"/>
    public float MaxScale = 1f;

    /// <summary>Image-plane shift drawn uniformly from [−MaxShift, MaxShift] along x and y, as a fraction of the image width.</summary>
    public float MaxShift;

    /// <summary>
    /// Exact poses: when set, the view has Models × Poses rows (row i: model i / Poses.Length, pose i % Poses.Length),
    /// no None rows, and no pose is sampled. Scale and shift of each pose are used as given.
    /// </summary>
    public Pose[]? Poses;

    /// <summary>The kind of background.</summary>
    public BackgroundKind Backgrounds = BackgroundKind.Procedural;

    /// <summary>The folder of photos for <see cref="BackgroundKind.Photos"/>.</summary>
    public string? BackgroundFolder;

    /// <summary>Which photos: all, the training ones or the held-out ones (split by photo).</summary>
    public BackgroundSplit BackgroundSplit = BackgroundSplit.All;

    /// <summary>The share of photos held out for <see cref="BackgroundSplit.Test"/>.</summary>
    public double BackgroundTestFraction = 0.2;

    /// <summary>A background source of your own; when set, <see cref="Backgrounds"/> and the folder are ignored.</summary>
    public IBackgroundSource? BackgroundSource;

    /// <summary>Stretch the 1st..99th percentile of every composited image to [0, 1].</summary>
    public bool ContrastStretch;

    /// <summary>Lighting and culling (Width, Height and Supersampling come from <see cref="ImageSize"/> and
    /// <see cref="Supersampling"/>); null uses the rasterizer's defaults.</summary>
    public RenderOptions? RenderOptions;

    /// <summary>Rows a cursor renders ahead of itself, in parallel.</summary>
    public int BatchSize = 32;

    /// <summary>Threads used to render a batch; null uses every processor.</summary>
    public int? MaxDegreeOfParallelism;

    /// <summary>A copy (arrays are copied shallowly).</summary>
    public SyntheticSceneOptions Clone()
    {
        var copy = (SyntheticSceneOptions)MemberwiseClone();
        copy.ModelNames = (string[])ModelNames.Clone();
        copy.Models = (Model3D[]?)Models?.Clone();
        copy.Poses = (Pose[]?)Poses?.Clone();
        copy.RenderOptions = RenderOptions?.Clone();
        return copy;
    }
}
