using MLRobust.Torch.Native;

namespace MLRobust.Torch;

/// <summary>Tensor operations the nn layer needs that are not part of the public tensor API.</summary>
internal static class TensorInternals
{
    private static readonly Op s_set_data = new("aten::set_data");

    /// <summary>Replaces the data of <paramref name="tensor"/> (storage, dtype, device) with that of
    /// <paramref name="data"/>, keeping its identity: every handle to it, and its autograd leaf,
    /// sees the new data. PyTorch's <c>param.data = data</c>.</summary>
    internal static void set_data(torch.Tensor tensor, torch.Tensor data) => s_set_data.Begin().T(tensor).T(data).Run();
}
