using TorchSharp;

namespace MLRobust.MLNet;

/// <summary>ML.NET's device rules (as its TorchSharp and ONNX components apply them) for a GPU id and the fallback flag.</summary>
internal static class DeviceSelection
{
    public static torch.Device Select(int? gpuDeviceId, bool fallbackToCpu, Action<string>? warn = null) =>
        Select(gpuDeviceId, fallbackToCpu, torch.cuda.is_available() ? torch.cuda.device_count() : 0, warn);

    /// <summary>The rule itself, for <paramref name="cudaDevices"/> visible CUDA devices.</summary>
    public static torch.Device Select(int? gpuDeviceId, bool fallbackToCpu, int cudaDevices, Action<string>? warn = null)
    {
        if (gpuDeviceId is not { } id) return torch.CPU;
        if (id < 0) throw new ArgumentOutOfRangeException(nameof(gpuDeviceId), id, "MLContext.GpuDeviceId can't be negative.");
        if (id < cudaDevices) return new torch.Device(DeviceType.CUDA, id);
        var why = cudaDevices == 0 ? "no CUDA GPU is available (or this build has the CPU natives of libtorch)" : $"only {cudaDevices} CUDA device(s) are present";
        if (fallbackToCpu)
        {
            warn?.Invoke($"MLContext.GpuDeviceId is {id} but {why}; falling back to the CPU (FallbackToCpu is true).");
            return torch.CPU;
        }
        throw new InvalidOperationException($"MLContext.GpuDeviceId is {id} but {why}. Set MLContext.FallbackToCpu = true to run on the CPU instead.");
    }
}
