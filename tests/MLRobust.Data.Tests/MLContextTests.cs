using MLRobust.ML;
using TorchSharp;

namespace MLRobust.Data.Tests;

/// <summary>Point 1: MLContext — seed, device selection with ML.NET's fallback rules, log, environment access.</summary>
public sealed class MLContextTests
{
    [Fact]
    public void TheSameSeedGivesTheSameSeedStream()
    {
        var a = new MLContext(seed: 7);
        var b = new MLContext(seed: 7);
        var c = new MLContext(seed: 8);
        var sa = Enumerable.Range(0, 5).Select(_ => a.NextSeed()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 5).Select(_ => b.NextSeed()).ToArray());
        Assert.NotEqual(sa, Enumerable.Range(0, 5).Select(_ => c.NextSeed()).ToArray());
        Assert.Equal(7, a.Seed);
        Assert.Null(new MLContext().Seed);
    }

    [Fact]
    public void NoGpuIdMeansCpu()
    {
        var ml = new MLContext(1);
        Assert.Null(ml.GpuDeviceId);
        Assert.False(ml.FallbackToCpu);
        Assert.Equal(DeviceType.CPU, ml.Device.type);
    }

    [Fact]
    public void AskingForAMissingGpuThrowsUnlessFallbackIsOn()
    {
        var ml = new MLContext(1) { GpuDeviceId = 0 };
        if (torch.cuda.is_available())
        {
            Assert.Equal(new torch.Device(DeviceType.CUDA, 0), ml.Device);
            return;
        }
        var error = Assert.Throws<InvalidOperationException>(() => ml.Device);
        Assert.Equal("Fallback to CPU is false but no GPU detected", error.Message);

        var messages = new List<LoggingEventArgs>();
        ml.Log += (_, e) => messages.Add(e);
        ml.FallbackToCpu = true;
        Assert.Equal(DeviceType.CPU, ml.Device.type);
        Assert.Contains(messages, m => m.Kind == ChannelMessageKind.Warning && m.RawMessage.Contains("falling back to the CPU"));
    }

    [Fact]
    public void NegativeGpuIdsAreRejected()
    {
        var ml = new MLContext();
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.GpuDeviceId = -1);
    }

    [Fact]
    public void ExtensionsReachTheEnvironmentThroughEveryCatalog()
    {
        var ml = new MLContext(3);
        Assert.Same(ml, CatalogUtils.GetEnvironment(ml.Transforms));
        Assert.Same(ml, CatalogUtils.GetEnvironment(ml.Transforms.Conversion));
        Assert.Same(ml, CatalogUtils.GetEnvironment(ml.Data));
        Assert.Same(ml, CatalogUtils.GetEnvironment(ml.MulticlassClassification.Trainers));
        Assert.Same(ml, ml.Model.Environment);
        Assert.Equal(3, CatalogUtils.GetEnvironment(ml.Transforms).Seed);
    }

    [Fact]
    public void LogMessagesCarrySourceAndKind()
    {
        var ml = new MLContext();
        LoggingEventArgs? seen = null;
        ml.Log += (_, e) => seen = e;
        ml.Info("Trainer", "epoch 1");
        Assert.NotNull(seen);
        Assert.Equal("[Source=Trainer, Kind=Info] epoch 1", seen!.Message);
        Assert.Equal("epoch 1", seen.RawMessage);
    }

    [Fact]
    public void CancelExecutionStopsLongOperations()
    {
        var ml = new MLContext();
        ml.CheckAlive();
        ml.CancelExecution();
        Assert.Throws<OperationCanceledException>(() => ml.CheckAlive());
    }
}
