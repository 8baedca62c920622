namespace MLRobust.Rendering.Scenes;

/// <summary>One rendered row of a synthetic-scene view, its images S·S floats row-major in [0, 1].</summary>
public sealed class SyntheticScene
{
    internal SyntheticScene(SceneDescription description, float[] image, float[] cleanImage, float[] alpha)
    {
        Description = description;
        Image = image;
        CleanImage = cleanImage;
        Alpha = alpha;
    }

    public SceneDescription Description { get; }

    /// <summary>The render composited over its background.</summary>
    public float[] Image { get; }

    /// <summary>The render over black.</summary>
    public float[] CleanImage { get; }

    /// <summary>The render's coverage.</summary>
    public float[] Alpha { get; }
}
