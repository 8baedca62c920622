using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// The per-parameter state of TorchSharp's SGD and Adam/AdamW as named tensors, so a checkpoint keeps it in the
/// same safetensors file as the weights ("{parameter index}.{field}", e.g. "3.exp_avg"), and the learning rate of
/// every parameter group.
/// </summary>
internal static class OptimizerStateTensors
{
    public static double LearningRate(this optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    public static void SetLearningRate(this optim.Optimizer optimizer, double value)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = value;
    }

    /// <summary>The optimizer's live state tensors (not copies) by name.</summary>
    public static Dictionary<string, Tensor> Capture(optim.Optimizer optimizer)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var index = 0;
        foreach (var state in States(optimizer))
        {
            switch (state)
            {
                case SGD.State sgd:
                    if (sgd.momentum_buffer is not null) tensors[$"{index}.momentum_buffer"] = sgd.momentum_buffer;
                    break;
                case Adam.State adam:
                    CaptureAdam(tensors, index, adam.step, adam.exp_avg, adam.exp_avg_sq, adam.max_exp_avg_sq);
                    break;
                case AdamW.State adamW:
                    CaptureAdam(tensors, index, adamW.step, adamW.exp_avg, adamW.exp_avg_sq, adamW.max_exp_avg_sq);
                    break;
                default:
                    throw new NotSupportedException($"checkpoints keep the state of SGD, Adam and AdamW, not of {state.GetType().DeclaringType?.Name ?? state.GetType().Name}");
            }
            index++;
        }
        return tensors;
    }

    // Adam and AdamW keep the same fields in two unrelated classes.
    private static void CaptureAdam(Dictionary<string, Tensor> tensors, int index, long step, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq)
    {
        tensors[$"{index}.step"] = tensor(step);
        tensors[$"{index}.exp_avg"] = expAvg;
        tensors[$"{index}.exp_avg_sq"] = expAvgSq;
        if (maxExpAvgSq is not null) tensors[$"{index}.max_exp_avg_sq"] = maxExpAvgSq;
    }

    /// <summary>Copies saved state (as <see cref="Capture"/> named it) into <paramref name="optimizer"/>.</summary>
    public static void Restore(optim.Optimizer optimizer, IReadOnlyDictionary<string, Tensor> saved)
    {
        var states = States(optimizer).ToList();
        foreach (var key in saved.Keys)
        {
            var dot = key.IndexOf('.');
            if (dot <= 0 || !int.TryParse(key.AsSpan(0, dot), out var i) || i < 0 || i >= states.Count)
                throw new InvalidDataException($"optimizer state entry '{key}' does not belong to one of the {states.Count} parameters being trained");
        }
        using var noGrad = no_grad();
        for (var index = 0; index < states.Count; index++)
        {
            Tensor? Get(string field) => saved.TryGetValue($"{index}.{field}", out var t) ? t : null;
            Tensor Copy(Tensor? target, Tensor source, string field)
            {
                if (target is null) return source.detach().clone().DetachFromDisposeScope();
                if (!target.shape.SequenceEqual(source.shape))
                    throw new InvalidDataException($"optimizer state '{index}.{field}' has shape [{string.Join(", ", source.shape)}], the parameter needs [{string.Join(", ", target.shape)}]");
                target.copy_(source);
                return target;
            }
            switch (states[index])
            {
                case SGD.State sgd:
                    if (Get("momentum_buffer") is { } momentum) sgd.momentum_buffer = Copy(sgd.momentum_buffer, momentum, "momentum_buffer");
                    break;
                case Adam.State adam:
                    RestoreAdam(Get, Copy, ref adam.step, ref adam.exp_avg, ref adam.exp_avg_sq, ref adam.max_exp_avg_sq);
                    break;
                case AdamW.State adamW:
                    RestoreAdam(Get, Copy, ref adamW.step, ref adamW.exp_avg, ref adamW.exp_avg_sq, ref adamW.max_exp_avg_sq);
                    break;
            }
        }
    }

    private static void RestoreAdam(Func<string, Tensor?> get, Func<Tensor?, Tensor, string, Tensor> copy,
        ref long step, ref Tensor expAvg, ref Tensor expAvgSq, ref Tensor maxExpAvgSq)
    {
        if (get("step") is { } s) step = s.ToInt64();
        if (get("exp_avg") is { } m) expAvg = copy(expAvg, m, "exp_avg");
        if (get("exp_avg_sq") is { } v) expAvgSq = copy(expAvgSq, v, "exp_avg_sq");
        if (get("max_exp_avg_sq") is { } vMax) maxExpAvgSq = copy(maxExpAvgSq, vMax, "max_exp_avg_sq");
    }

    private static IEnumerable<TorchSharp.Modules.OptimizerState> States(optim.Optimizer optimizer) =>
        optimizer is OptimizerHelper helper
            ? helper.state_dict().State
            : throw new NotSupportedException($"{optimizer.GetType().Name} does not expose its state");
}
