using MLRobust.MLNet;
using MLRobust.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Trainers;

/// <summary>Saves a network's weights into a model file entry and loads them back (onto the loading context's device).</summary>
internal static class ModelWeights
{
    internal const string Entry = "weights.safetensors";

    internal static void Save(ComponentWriter ctx, nn.Module network)
    {
        using var scope = NewDisposeScope();
        ctx.SaveTensors(Entry, network.state_dict());
    }

    internal static void Load(ComponentReader ctx, nn.Module network, Device device)
    {
        var tensors = ctx.LoadTensors(Entry, device);
        try
        {
            network.load_state_dict(tensors);
        }
        catch (ArgumentException ex)
        {
            throw ctx.Error($"the weights do not fit the saved architecture: {ex.Message}", ex);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>Runs <paramref name="score"/> on a batch tensor <c>[count, 1, S, S]</c> made from <paramref name="inputs"/>, on the
    /// network's device, without gradients.</summary>
    internal static void WithBatch(float[] inputs, int count, long size, Device device, Action<Tensor> score)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = TensorExtensions.FromSpan<float>(inputs.AsSpan(0, (int)(count * size * size)), new long[] { count, 1, size, size }).to(device);
        score(batch);
    }
}
