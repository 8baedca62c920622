using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// A batch of training rows as tensors on the training device: images <c>[B, 1, S, S]</c>, classes <c>[B]</c> (int64,
/// class c = label key c + 1) and, when the source has them, pose parameters <c>[B, P]</c>, clean renders and alphas
/// <c>[B, 1, S, S]</c>. Disposing the batch disposes its tensors.
/// </summary>
public sealed class SampleBatch : IDisposable
{
    public SampleBatch(Tensor images, Tensor classes, Tensor? parameters = null, Tensor? cleanImages = null, Tensor? alphas = null)
    {
        Images = images ?? throw new ArgumentNullException(nameof(images));
        Classes = classes ?? throw new ArgumentNullException(nameof(classes));
        Parameters = parameters;
        CleanImages = cleanImages;
        Alphas = alphas;
    }

    public Tensor Images { get; }
    public Tensor Classes { get; }
    public Tensor? Parameters { get; }
    public Tensor? CleanImages { get; }
    public Tensor? Alphas { get; }

    public int Count => (int)Images.size(0);

    public Tensor RequireParameters(string stage) => Parameters ?? throw new InvalidOperationException($"{stage} needs the pose parameters, and the training source has none");
    public Tensor RequireCleanImages(string stage) => CleanImages ?? throw new InvalidOperationException($"{stage} needs the clean renders, and the training source has none");
    public Tensor RequireAlphas(string stage) => Alphas ?? throw new InvalidOperationException($"{stage} needs the alphas, and the training source has none");

    public void Dispose()
    {
        Images.Dispose();
        Classes.Dispose();
        Parameters?.Dispose();
        CleanImages?.Dispose();
        Alphas?.Dispose();
    }
}
