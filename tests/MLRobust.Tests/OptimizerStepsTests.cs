using MLRobust.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>MLRobust's optimizer step (scalars held through each native call) against TorchSharp's own <c>step()</c> on the same
/// weights, gradients and settings: equal bit for bit, step after step, with the optimizer state it leaves. (The configured
/// solvers are checked against PyTorch's torch.optim in <see cref="SolverAndLossTests"/>.)</summary>
[Collection(Infrastructure.SeededTorchCollection.Name)]
public class OptimizerStepsTests
{
    public static TheoryData<string> Settings() => new()
    {
        "sgd", "sgd-momentum-decay", "sgd-nesterov", "sgd-dampening-maximize",
        "adam", "adam-decay", "adam-amsgrad", "adam-maximize",
    };

    private static optim.Optimizer Create(string setting, IEnumerable<TorchSharp.Modules.Parameter> parameters) => setting switch
    {
        "sgd" => optim.SGD(parameters, 0.05),
        "sgd-momentum-decay" => optim.SGD(parameters, 0.05, momentum: 0.9, weight_decay: 5e-4),
        "sgd-nesterov" => optim.SGD(parameters, 0.05, momentum: 0.8, nesterov: true, weight_decay: 1e-3),
        "sgd-dampening-maximize" => optim.SGD(parameters, 0.05, momentum: 0.7, dampening: 0.3, maximize: true),
        "adam" => optim.Adam(parameters, 0.02),
        "adam-decay" => optim.Adam(parameters, 0.02, 0.8, 0.99, weight_decay: 1e-3),
        "adam-amsgrad" => optim.Adam(parameters, 0.01, amsgrad: true),
        "adam-maximize" => optim.Adam(parameters, 0.01, maximize: true),
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, null),
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void StepEqualsTorchSharpsOwnStepBitForBit(string setting)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var x = randn(16, 6);
        var y = randn(16, 3);
        var start = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3));
        var ours = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3));
        var theirs = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3));
        ours.load_state_dict(start.state_dict());
        theirs.load_state_dict(start.state_dict());
        using var ourOptimizer = Create(setting, ours.parameters());
        using var theirOptimizer = Create(setting, theirs.parameters());

        for (var t = 0; t < 6; t++)
        {
            using var step = NewDisposeScope();
            // A learning-rate change mid-run, as the schedules make.
            if (t == 3) foreach (var o in new[] { ourOptimizer, theirOptimizer }) o.SetLearningRate(0.5 * o.LearningRate());
            foreach (var (model, optimizer, own) in new[] { (ours, ourOptimizer, true), (theirs, theirOptimizer, false) })
            {
                optimizer.zero_grad();
                nn.functional.mse_loss(model.call(x), y).backward();
                if (own) OptimizerSteps.Step(optimizer);
                else optimizer.step();
            }
            foreach (var ((name, a), (_, b)) in ours.named_parameters().Zip(theirs.named_parameters()))
                Assert.True(a.eq(b).all().ToBoolean(), $"{setting}, step {t + 1}: parameter {name} differs by up to {(a - b).abs().max().ToDouble():G3}");
        }
        var ourState = OptimizerStateTensors.Capture(ourOptimizer);
        var theirState = OptimizerStateTensors.Capture(theirOptimizer);
        Assert.Equal(theirState.Keys.OrderBy(k => k), ourState.Keys.OrderBy(k => k));
        if (setting != "sgd") Assert.NotEmpty(ourState);
        foreach (var (key, value) in theirState) Assert.True(value.eq(ourState[key]).all().ToBoolean(), $"{setting}: optimizer state {key} differs");
    }

    [Fact]
    public void ParametersWithoutGradientsAreLeftAlone()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var model = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2));
        var frozen = model.parameters().First();
        frozen.requires_grad = false;
        var before = frozen.detach().clone();
        var trained = model.parameters().Last();
        var trainedBefore = trained.detach().clone();
        using var optimizer = optim.Adam(model.parameters(), 0.1);
        optimizer.zero_grad();
        model.call(randn(3, 4)).sum().backward();
        Assert.Null(frozen.grad);
        OptimizerSteps.Step(optimizer);
        Assert.True(frozen.eq(before).all().ToBoolean());
        // Adam's first step moves every trained weight by lr (its gradient is non-zero) in the direction against the gradient.
        Assert.True((trained - trainedBefore).abs().sub(0.1).abs().max().ToDouble() < 1e-5);
    }
}
