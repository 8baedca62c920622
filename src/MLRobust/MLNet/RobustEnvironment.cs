using Microsoft.ML;
using Microsoft.ML.Runtime;
using MLRobust.Rendering.DataViews;
using TorchSharp;

namespace MLRobust.MLNet;

/// <summary>
/// What MLRobust's estimators and transformers take from the MLContext they were made from: seeds from the context's
/// random sequence, the device (<see cref="MLContext.GpuDeviceId"/> / <see cref="MLContext.FallbackToCpu"/> with
/// ML.NET's semantics), cancellation and the context's Log.
/// </summary>
internal sealed class RobustEnvironment
{
    public RobustEnvironment(IHostEnvironment host) => Host = host ?? throw new ArgumentNullException(nameof(host));

    public IHostEnvironment Host { get; }

    /// <summary>The environment behind an ML.NET catalog (ml.Transforms, ml.MulticlassClassification.Trainers, ...).</summary>
    /// <remarks>Also registers MLRobust's components with the context, so that models it saves load back in it.</remarks>
    public static RobustEnvironment FromCatalog(object catalog)
    {
        var host = CatalogEnvironment.Of(catalog);
        host.ComponentCatalog.RegisterMLRobust();
        return new RobustEnvironment(host);
    }

    /// <summary>The next seed of the context's random sequence.</summary>
    public int NextSeed() => CatalogEnvironment.NextSeed(Host);

    /// <summary>Throws <see cref="OperationCanceledException"/> once the context's execution was cancelled.</summary>
    public void CheckAlive() => CatalogEnvironment.CheckAlive(Host);

    /// <summary>Where tensors go, decided now from the context's settings: CPU when no GPU is asked for; CUDA device
    /// GpuDeviceId when it exists; otherwise the CPU with a warning if FallbackToCpu, else an error (ML.NET's rules).</summary>
    public torch.Device Device => DeviceSelection.Select(CatalogEnvironment.GpuDeviceId(Host), CatalogEnvironment.FallbackToCpu(Host),
        message => Warning("MLRobust", message));

    public void Info(string source, string message)
    {
        using var channel = Host.Start(source);
        channel.Info(MessageSensitivity.None, "{0}", message);
    }

    public void Warning(string source, string message)
    {
        using var channel = Host.Start(source);
        channel.Warning(MessageSensitivity.None, "{0}", message);
    }
}
