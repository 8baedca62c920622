using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// One update of a TorchSharp SGD or Adam optimizer, the same arithmetic as its own <c>step()</c> in the same order (equal bit for
/// bit, tested) on its own state, but with every scalar operand held until the native call has returned.
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
        var dampening = options.dampening!.Value;
        var weightDecay = options.weight_decay!.Value;
        var lr = options.LearningRate!.Value;
        var g = grad;
        if (weightDecay != 0)
        {
            using var decay = weightDecay.ToScalar();
            g = g.add(parameter, decay);
        }
        if (momentum != 0)
        {
            var buffer = state.momentum_buffer;
            if (buffer is null)
            {
                buffer = g.clone().detach().DetachFromDisposeScope();
                state.momentum_buffer = buffer;
            }
            else
            {
                using var m = momentum.ToScalar();
                using var keep = (1 - dampening).ToScalar();
                buffer.mul_(m).add_(g, keep);
            }
            if (options.nesterov!.Value)
            {
                using var m = momentum.ToScalar();
                g = g.add(buffer, m);
            }
            else g = buffer;
        }
        // Maximising steps up the (undamped) gradient: alpha +lr instead of −lr, as TorchSharp does.
        using var alpha = (options.maximize!.Value ? lr : -lr).ToScalar();
        parameter.add_(g, alpha);
    }

    // TorchSharp's Adam.step: L2 weight decay added to the gradient, bias corrections in double precision.
    private static void AdamStep(Parameter parameter, Tensor grad, Adam.State state, Adam.Options options)
    {
        var beta1 = options.beta1!.Value;
        var beta2 = options.beta2!.Value;
        var weightDecay = options.weight_decay!.Value;
        var eps = options.eps!.Value;
        var lr = options.LearningRate!.Value;
        var g = options.maximize!.Value ? grad.neg() : grad;
        state.step += 1;
        var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
        var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
        if (weightDecay != 0)
        {
            using var decay = weightDecay.ToScalar();
            g = g.add(parameter, decay);
        }
        using (var b1 = beta1.ToScalar())
        using (var oneMinusB1 = (1 - beta1).ToScalar())
            state.exp_avg.mul_(b1).add_(g, oneMinusB1);
        using (var b2 = beta2.ToScalar())
        using (var oneMinusB2 = (1 - beta2).ToScalar())
            state.exp_avg_sq.mul_(b2).addcmul_(g, g.conj(), oneMinusB2);
        Tensor denominator;
        using (var root = Math.Sqrt(biasCorrection2).ToScalar())
        using (var epsilon = eps.ToScalar())
        {
            if (options.amsgrad!.Value)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                denominator = state.max_exp_avg_sq.sqrt().div(root).add_(epsilon);
            }
            else denominator = state.exp_avg_sq.sqrt().div(root).add_(epsilon);
        }
        using var stepSize = (-(lr / biasCorrection1)).ToScalar();
        parameter.addcdiv_(state.exp_avg, denominator, stepSize);
    }
}
