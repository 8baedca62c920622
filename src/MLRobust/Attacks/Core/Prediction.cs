using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>Predictions and evidence without gradients, in bounded chunks.</summary>
internal static class Prediction
{
    internal static Tensor Predict(IAttackTarget model, Tensor x, int chunk = 256)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var n = x.size(0);
        if (n == 0) return zeros(new[] { 0L }, TorchSharp.torch.ScalarType.Int64, x.device).MoveToOuterDisposeScope();
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += chunk)
        {
            var part = x.narrow(0, start, Math.Min(chunk, n - start));
            parts.Add(model.Evidence(model.Forward(part)).argmax(1));
        }
        return (parts.Count == 1 ? parts[0] : cat(parts)).MoveToOuterDisposeScope();
    }

    internal static Tensor Evidence(IAttackTarget model, Tensor x, int chunk = 256)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var n = x.size(0);
        var parts = new List<Tensor>();
        for (long start = 0; start < n; start += chunk)
        {
            var part = x.narrow(0, start, Math.Min(chunk, n - start));
            parts.Add(model.Evidence(model.Forward(part)));
        }
        return (parts.Count == 1 ? parts[0] : cat(parts)).MoveToOuterDisposeScope();
    }
}
