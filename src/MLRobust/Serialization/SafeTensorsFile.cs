using TorchSharp;
using static TorchSharp.torch;
namespace MLRobust.Serialization;

/// <summary>The contents of a safetensors file: its tensors (by name, in name order) and its
/// metadata. Disposing it disposes the tensors; take ownership of one by removing it from
/// <see cref="Tensors"/> first.</summary>
public sealed class SafeTensorsFile : IDisposable
{
    internal SafeTensorsFile(Dictionary<string, torch.Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    public Dictionary<string, torch.Tensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
        Tensors.Clear();
    }
}
