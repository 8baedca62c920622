using System.Collections.Concurrent;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Models;

/// <summary>
/// Your own TorchSharp classifiers, by name, so that a model file whose direct classifier was trained with one
/// (<c>DirectClassifierTrainer.Options.Network</c> and <c>NetworkName</c>) can be loaded again: a model file holds the
/// network's weights, not its code, so the process that loads it registers how to build the (untrained) network first.
/// </summary>
public static class CustomNetworks
{
    private static readonly ConcurrentDictionary<string, Func<nn.Module<Tensor, Tensor>>> s_factories = new(StringComparer.Ordinal);

    /// <summary>Registers (or replaces) how to build the network called <paramref name="name"/>.</summary>
    public static void Register(string name, Func<nn.Module<Tensor, Tensor>> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        s_factories[name] = factory;
    }

    internal static nn.Module<Tensor, Tensor> Create(string name) =>
        s_factories.TryGetValue(name, out var factory)
            ? factory() ?? throw new InvalidOperationException($"the factory registered for network '{name}' returned null")
            : throw new InvalidOperationException(
                $"the model's classifier is your own network '{name}', and no network of that name is registered: call " +
                $"MLRobust.Models.CustomNetworks.Register(\"{name}\", () => new YourNetwork(...)) before loading the model");
}
