using MLRobust.Torch.Modules;
using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Tests;

/// <summary>Optimizer checkpointing: training interrupted after k steps and resumed from a saved
/// optimizer state (through safetensors) must end exactly where uninterrupted training ends.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class OptimStateTests
{
    private static float[] Train(Func<IEnumerable<Parameter>, optim.Optimizer> make, int interruptAfter, int total)
    {
        manual_seed(7);
        var model = nn.Linear(4, 3);
        using var x = randn(8, 4);
        using var y = randn(8, 3);
        var optimizer = make(model.parameters());
        for (var i = 0; i < total; i++)
        {
            if (i == interruptAfter)
            {
                var bytes = SafeTensors.Serialize(optimizer.state_dict());
                optimizer.Dispose();
                optimizer = make(model.parameters());
                using var loaded = SafeTensors.Read(bytes);
                optimizer.load_state_dict(loaded.Tensors);
            }
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
        optimizer.Dispose();
        using var w = model.weight!.detach();
        return w.data<float>().ToArray();
    }

    public static TheoryData<string> Optimizers => new() { "sgd", "adam", "adamw-amsgrad" };

    private static Func<IEnumerable<Parameter>, optim.Optimizer> Factory(string name) => name switch
    {
        "sgd" => ps => optim.SGD(ps, 0.1, momentum: 0.9, nesterov: true, weight_decay: 1e-3),
        "adam" => ps => optim.Adam(ps, 0.05),
        _ => ps => optim.AdamW(ps, 0.05, amsgrad: true),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ResumedTrainingEqualsUninterrupted(string name)
    {
        var straight = Train(Factory(name), interruptAfter: -1, total: 6);
        var resumed = Train(Factory(name), interruptAfter: 3, total: 6);
        Assert.Equal(straight, resumed);
        // A fresh optimizer (no state restored) diverges, so the test does exercise the state.
        var restarted = TrainWithoutRestore(Factory(name));
        Assert.NotEqual(straight, restarted);
    }

    private static float[] TrainWithoutRestore(Func<IEnumerable<Parameter>, optim.Optimizer> make)
    {
        manual_seed(7);
        var model = nn.Linear(4, 3);
        using var x = randn(8, 4);
        using var y = randn(8, 3);
        for (var i = 0; i < 6; i++)
        {
            using var optimizer = make(model.parameters());
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.mse_loss(model.call(x), y).backward();
            optimizer.step();
        }
        using var w = model.weight!.detach();
        return w.data<float>().ToArray();
    }

    [Fact]
    public void LoadRejectsMismatchedState()
    {
        var model = nn.Linear(4, 3);
        using var optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        using var wrongShape = zeros(5, 5);
        var e = Assert.Throws<ArgumentException>(() => optimizer.load_state_dict(new Dictionary<string, Tensor> { ["state.0.momentum_buffer"] = wrongShape }));
        Assert.Contains("state.0.momentum_buffer", e.Message);
        using var any = zeros(3);
        e = Assert.Throws<ArgumentException>(() => optimizer.load_state_dict(new Dictionary<string, Tensor> { ["state.9.momentum_buffer"] = any }));
        Assert.Contains("parameter 9", e.Message);
        e = Assert.Throws<ArgumentException>(() => optimizer.load_state_dict(new Dictionary<string, Tensor> { ["bogus"] = any }));
        Assert.Contains("bogus", e.Message);
    }
}
