namespace MLRobust.Rendering.Raster;

/// <summary>
/// A rendered frame: per pixel the object's grey level (straight, not multiplied by alpha; 0 where
/// nothing was drawn) and its coverage alpha in [0, 1], both row-major from the top row.
/// </summary>
public sealed class RenderResult
{
    public RenderResult(int width, int height)
    {
        Width = width;
        Height = height;
        Intensity = new float[width * height];
        Alpha = new float[width * height];
    }

    public int Width { get; }
    public int Height { get; }
    public float[] Intensity { get; }
    public float[] Alpha { get; }

    /// <summary>The object over black: Intensity·Alpha.</summary>
    public float[] Premultiplied()
    {
        var result = new float[Intensity.Length];
        for (int i = 0; i < result.Length; i++) result[i] = Intensity[i] * Alpha[i];
        return result;
    }
}
