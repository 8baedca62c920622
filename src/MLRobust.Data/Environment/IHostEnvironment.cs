using TorchSharp;

namespace MLRobust.ML;

/// <summary>
/// What components (estimators, transformers, trainers, loaders) need from their <see cref="MLContext"/>:
/// seeds, the compute device, logging, cancellation and the component catalog. ML.NET keeps this internal;
/// here it is public so that extensions in other assemblies reach it (<see cref="CatalogUtils.GetEnvironment"/>).
/// </summary>
public interface IHostEnvironment
{
    /// <summary>The context's seed, or null when it was created without one.</summary>
    int? Seed { get; }

    /// <summary>The next seed of the context's deterministic seed stream: with a fixed context seed, components
    /// created in the same order get the same seeds.</summary>
    int NextSeed();

    /// <summary>Where tensors go: CPU, or the CUDA device chosen by GpuDeviceId (see <see cref="MLContext.GpuDeviceId"/>).
    /// Throws "Fallback to CPU is false but no GPU detected" when a GPU is asked for, none is there and fallback is off.</summary>
    torch.Device Device { get; }

    ComponentCatalog ComponentCatalog { get; }

    /// <summary>A folder for temporary files.</summary>
    string TempFilePath { get; }

    /// <summary>Raises the context's Log event.</summary>
    void WriteLog(ChannelMessageKind kind, string source, string message);

    /// <summary>Throws <see cref="OperationCanceledException"/> once <see cref="MLContext.CancelExecution"/> was called;
    /// long loops call it between steps.</summary>
    void CheckAlive();
}
