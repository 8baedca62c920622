using static MLRobust.Torch.torch;

namespace MLRobust.Torch;

/// <summary>Moves and converts modules, returning the module with its own type (as TorchSharp's
/// extension methods do): <c>var model = new Net().to(device);</c></summary>
public static class ModuleExtensionMethods
{
    public static T to<T>(this T module, Device device) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(device);
        module._to(device, null);
        return module;
    }

    public static T to<T>(this T module, string device) where T : nn.Module => module.to(new Device(device));

    /// <summary>Converts floating-point parameters and buffers to <paramref name="type"/>.</summary>
    public static T to<T>(this T module, ScalarType type) where T : nn.Module
    {
        if (!type.IsFloatingPoint()) throw new ArgumentException($"module.to: dtype must be floating point, got {type}", nameof(type));
        module._to(null, type);
        return module;
    }

    public static T to<T>(this T module, Device device, ScalarType type) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!type.IsFloatingPoint()) throw new ArgumentException($"module.to: dtype must be floating point, got {type}", nameof(type));
        module._to(device, type);
        return module;
    }

    public static T cpu<T>(this T module) where T : nn.Module => module.to(CPU);

    public static T cuda<T>(this T module, int deviceIndex = -1) where T : nn.Module => module.to(new Device(DeviceType.CUDA, deviceIndex));
}
