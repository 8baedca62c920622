using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Modules;

/// <summary>What the built-in layers share: parameter creation, PyTorch's default initialisation
/// and argument checks.</summary>
internal static class LayerSupport
{
    /// <summary>An uninitialised parameter of the given shape (filled by the layer's reset_parameters).</summary>
    internal static Parameter EmptyParameter(long[] shape, Device? device, ScalarType? dtype)
    {
        using var data = empty(shape, dtype, device);
        return new Parameter(data);
    }

    /// <summary>PyTorch's default for Linear and Conv: weight ~ kaiming_uniform(a=√5), i.e.
    /// U(±1/√fan_in), then bias ~ U(±1/√fan_in), drawn in that order so a seed gives PyTorch's values.</summary>
    internal static void ResetLinearOrConv(Parameter weight, Parameter? bias)
    {
        nn.init.kaiming_uniform_(weight, a: Math.Sqrt(5));
        if (bias is null) return;
        var (fanIn, _) = nn.init.calculate_fan_in_and_fan_out(weight);
        var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        nn.init.uniform_(bias, -bound, bound);
    }

    internal static void Positive(long value, string argument, string layer)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(argument, value, $"{layer}: {argument} must be positive");
    }

    internal static void Positive((long, long) value, string argument, string layer)
    {
        if (value.Item1 <= 0 || value.Item2 <= 0) throw new ArgumentOutOfRangeException(argument, value, $"{layer}: {argument} must be positive");
    }

    internal static void NonNegative((long, long) value, string argument, string layer)
    {
        if (value.Item1 < 0 || value.Item2 < 0) throw new ArgumentOutOfRangeException(argument, value, $"{layer}: {argument} must be non-negative");
    }

    internal static long[] Ints((long, long) pair) => new[] { pair.Item1, pair.Item2 };

    internal static void CheckDims(Tensor input, string layer, params int[] allowed)
    {
        var d = (int)input.dim();
        if (System.Array.IndexOf(allowed, d) < 0)
            throw new ArgumentException($"{layer}: expected a {string.Join(" or ", allowed.Select(a => a + "-D"))} input, got {d}-D input of shape [{string.Join(", ", input.shape)}]", nameof(input));
    }
}
