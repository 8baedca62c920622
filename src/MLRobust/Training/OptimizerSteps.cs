using TorchSharp;
using TorchSharp.Modules;
using static MLRobust.HeldScalars;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// One update of a TorchSharp SGD or Adam optimizer, the same arithmetic as its own <c>step()</c> in the same order (equal bit for
/// bit, tested) on its own state, but with every scalar operand held until the native call has returned (<see cref="HeldScalars.Held(double)"/>).
/// </summary>
/// <remarks>
/// Why: TorchSharp 0.107's <c>step()</c> passes scalars such as <c>1 − β₂</c> as implicitly converted <see cref="Scalar"/>s, whose
/// only reference is gone once their native handle has been read; a garbage collection during the native call (any thread
/// allocating) lets the finalizer free the c10::Scalar while libtorch still reads it. It happened in CI: Adam's
/// <c>addcmul_</c> failed with "Expected false to be true ... toFloat at c10/core/Scalar.h" in a sample's training, once in
/// dozens of runs (TorchSharp PRs #1434 and #1496, open, dispose such scalars but do not keep them alive). The optimizer objects
/// stay TorchSharp's: their parameter groups, learning rates and state (checkpoints, <see cref="OptimizerStateTensors"/>).
/// </remarks>
internal static class OptimizerSteps
{
    /// <summary>Updates the parameters of <paramref name="optimizer"/> from their gradients (SGD or Adam; others: their own step).</summary>
    public static void Step(optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer is not (SGD or Adam) || optimizer is not OptimizerHelper helper)
        {
            optimizer.step();
            return;
        }
        var states = helper.state_dict();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var g = 0;
        foreach (var group in optimizer.ParamGroups)
        {
            var indices = states.StateIndexRef[g];
            var k = 0;
            foreach (var parameter in ((ParamGroup)group).Parameters)
            {
                var state = states.State[indices[k++]];
                using var grad = parameter.grad;
                if (grad is null) continue;
                switch (state)
                {
                    case SGD.State sgd: SgdStep(parameter, grad, sgd, (SGD.Options)states.Options[g]); break;
                    case Adam.State adam: AdamStep(parameter, grad, adam, (Adam.Options)states.Options[g]); break;
                    default: throw new NotSupportedException($"no MLRobust step for optimizer state {state.GetType().FullName}");
                }
            }
            g++;
        }
    }

    // TorchSharp's SGD.step: weight decay added to the gradient, the momentum buffer started as a copy of the first gradient.
    private static void SgdStep(Parameter parameter, Tensor grad, SGD.State state, SGD.Options options)
    {
        var momentum = options.momentum!.Value;
        var weightDecay = options.weight_decay!.Value;
        var lr = options.LearningRate!.Value;
        var g = weightDecay != 0 ? grad.add(parameter, Held(weightDecay)) : grad;
        if (momentum != 0)
        {
            var buffer = state.momentum_buffer;
            if (buffer is null)
            {
                buffer = g.clone().detach().DetachFromDisposeScope();
                state.momentum_buffer = buffer;
            }
            else buffer.mul_(Held(momentum)).add_(g, Held(1 - options.dampening!.Value));
            g = options.nesterov!.Value ? g.add(buffer, Held(momentum)) : buffer;
        }
        // Maximising steps up the (undamped) gradient: alpha +lr instead of −lr, as TorchSharp does.
        parameter.add_(g, Held(options.maximize!.Value ? lr : -lr));
    }

    // TorchSharp's Adam.step: L2 weight decay added to the gradient, bias corrections in double precision.
    private static void AdamStep(Parameter parameter, Tensor grad, Adam.State state, Adam.Options options)
    {
        var beta1 = options.beta1!.Value;
        var beta2 = options.beta2!.Value;
        var weightDecay = options.weight_decay!.Value;
        var lr = options.LearningRate!.Value;
        var g = options.maximize!.Value ? grad.neg() : grad;
        state.step += 1;
        var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
        var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
        if (weightDecay != 0) g = g.add(parameter, Held(weightDecay));
        state.exp_avg.mul_(Held(beta1)).add_(g, Held(1 - beta1));
        state.exp_avg_sq.mul_(Held(beta2)).addcmul_(g, g.conj(), Held(1 - beta2));
        if (options.amsgrad!.Value)
        {
            var previous = state.max_exp_avg_sq;
            state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
            previous.Dispose();
        }
        var second = options.amsgrad.Value ? state.max_exp_avg_sq : state.exp_avg_sq;
        var denominator = second.sqrt().div(Held(Math.Sqrt(biasCorrection2))).add_(Held(options.eps!.Value));
        parameter.addcdiv_(state.exp_avg, denominator, Held(-(lr / biasCorrection1)));
    }
}
