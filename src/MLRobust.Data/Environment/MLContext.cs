using TorchSharp;

namespace MLRobust.ML;

/// <summary>
/// The starting point of every pipeline: it holds the seed, the device settings and the log, and the catalogs
/// through which data is loaded (<see cref="Data"/>), transformed (<see cref="Transforms"/>), learned and
/// evaluated (<see cref="MulticlassClassification"/>) and saved (<see cref="Model"/>).
/// </summary>
public sealed class MLContext : IHostEnvironment
{
    private readonly Random _seeds;
    private readonly object _seedLock = new();
    private int? _gpuDeviceId;
    private volatile bool _canceled;

    /// <param name="seed">Makes every random choice (splits, shuffles, initialisations) repeatable; null draws one at random.</param>
    public MLContext(int? seed = null)
    {
        Seed = seed;
        _seeds = seed.HasValue ? new Random(seed.Value) : new Random();
        ComponentCatalog = new ComponentCatalog();
        Data = new DataOperationsCatalog(this);
        Transforms = new TransformsCatalog(this);
        MulticlassClassification = new MulticlassClassificationCatalog(this);
        Model = new ModelOperationsCatalog(this);
    }

    public int? Seed { get; }

    public DataOperationsCatalog Data { get; }
    public TransformsCatalog Transforms { get; }
    public MulticlassClassificationCatalog MulticlassClassification { get; }
    public ModelOperationsCatalog Model { get; }

    public ComponentCatalog ComponentCatalog { get; }

    /// <summary>Messages from every component, with their source and kind.</summary>
    public event EventHandler<LoggingEventArgs>? Log;

    public string TempFilePath { get; set; } = Path.GetTempPath();

    /// <summary>The CUDA device to train and score on; null (the default) runs on the CPU.</summary>
    public int? GpuDeviceId
    {
        get => _gpuDeviceId;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(GpuDeviceId), value, "A GPU device id can't be negative.");
            _gpuDeviceId = value;
        }
    }

    /// <summary>When a GPU is asked for but none is available: true runs on the CPU, false (the default) throws.</summary>
    public bool FallbackToCpu { get; set; }

    /// <summary>The device resolved from <see cref="GpuDeviceId"/> and <see cref="FallbackToCpu"/> (ML.NET's rules).</summary>
    public torch.Device Device
    {
        get
        {
            if (_gpuDeviceId is not { } id) return torch.CPU;
            var available = torch.cuda.is_available();
            var count = available ? torch.cuda.device_count() : 0;
            if (id < count) return new torch.Device(DeviceType.CUDA, id);
            if (FallbackToCpu)
            {
                WriteLog(ChannelMessageKind.Warning, nameof(MLContext),
                    available ? $"GPU {id} requested but only {count} present; falling back to the CPU." : "No GPU detected; falling back to the CPU.");
                return torch.CPU;
            }
            if (available) throw new InvalidOperationException($"GPU device {id} was requested but only {count} GPU(s) are present, and fallback to CPU is false.");
            throw new InvalidOperationException("Fallback to CPU is false but no GPU detected");
        }
    }

    public int NextSeed()
    {
        lock (_seedLock) return _seeds.Next();
    }

    public void WriteLog(ChannelMessageKind kind, string source, string message) =>
        Log?.Invoke(this, new LoggingEventArgs(message, kind, source));

    /// <summary>Asks running operations to stop; they throw <see cref="OperationCanceledException"/> at their next check.</summary>
    public void CancelExecution() => _canceled = true;

    public void CheckAlive()
    {
        if (_canceled) throw new OperationCanceledException("Operation was canceled.");
    }
}
