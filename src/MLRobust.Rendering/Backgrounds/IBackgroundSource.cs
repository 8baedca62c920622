namespace MLRobust.Rendering.Backgrounds;

/// <summary>
/// Makes greyscale backgrounds for synthetic scenes. <see cref="Fill"/> must be a pure function of
/// its arguments (the same seed and size give the same pixels, whatever thread calls it and in
/// whatever order), so a scene dataset is reproducible row by row. Implementations are thread-safe.
/// </summary>
public interface IBackgroundSource
{
    /// <summary>Writes <paramref name="width"/>·<paramref name="height"/> grey levels in [0, 1], row-major from the top row.</summary>
    void Fill(Span<float> pixels, int width, int height, ulong seed);
}
