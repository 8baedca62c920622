using MLRobust.Models;
using MLRobust.Serialization;
using MLRobust.Training;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The solvers as MLRobust configures them (SGD with momentum and weight decay, Adam with weight decay, step and
/// multi-step schedules applied per iteration as the stage runner does) and the reference code's losses, against
/// torch.optim and the losses written out in PyTorch 1.13 on the same weights and data.</summary>
[Collection(Infrastructure.SeededTorchCollection.Name)]
public class SolverAndLossTests
{
    [Fact]
    public void ConfiguredSolversAndLossesEqualPyTorch()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        manual_seed(11);
        var x = randn(8, 6);
        var y = randn(8, 3);
        var mask = tensor(new[] { true, false, true, true, false, true, true, false });
        var solvers = new Dictionary<string, SolverOptions>
        {
            ["sgd"] = new() { Optimizer = OptimizerKind.Sgd, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 5e-4, Schedule = LearningRateSchedule.MultiStep, Milestones = new[] { 3, 6 }, Gamma = 0.5 },
            ["adam"] = new() { Optimizer = OptimizerKind.Adam, LearningRate = 0.02, Beta1 = 0.8, Beta2 = 0.99, WeightDecay = 1e-3, Schedule = LearningRateSchedule.Step, StepSize = 4, Gamma = 0.3 },
        };
        var tensors = new Dictionary<string, Tensor> { ["x"] = x, ["y"] = y, ["mask"] = mask };
        manual_seed(12);
        var start = nn.Linear(6, 3);
        foreach (var (key, value) in start.state_dict()) tensors["start." + key] = value;
        foreach (var (name, solver) in solvers)
        {
            var model = nn.Linear(6, 3);
            model.load_state_dict(start.state_dict());
            using var optimizer = solver.Create(model.parameters());
            for (var t = 0; t < 10; t++)
            {
                using var step = NewDisposeScope();
                optimizer.SetLearningRate(solver.LearningRateAt(t));
                optimizer.zero_grad();
                Losses.MaskedEuclidean(model.call(x), y, mask).backward();
                OptimizerSteps.Step(optimizer);
            }
            foreach (var (key, value) in model.state_dict()) tensors[name + "." + key] = value.detach().clone();
        }
        var logits = randn(2, 1, 4, 4);
        var clean = rand(2, 1, 4, 4);
        var alpha = rand(2, 1, 4, 4);
        var image = rand(2, 1, 4, 4);
        var projection = new Projection(image, logits.sigmoid(), logits, image * logits.sigmoid());
        tensors["euclidean"] = Losses.Euclidean(x.narrow(1, 0, 3), y).reshape(1);
        tensors["projector"] = Losses.Projector(projection, clean, alpha, 0.01).reshape(1);
        foreach (var (key, value) in new Dictionary<string, Tensor> { ["logits"] = logits, ["clean"] = clean, ["alpha"] = alpha, ["image"] = image }) tensors[key] = value;
        SafeTensors.Save(tensors, dir.File("in.safetensors"));

        Run($$"""
d = load({{Py(dir.File("in.safetensors"))}})
x, y, mask = d['x'], d['y'], d['mask']
def masked_euclidean(a, b, m):  # Caffe's EuclideanLoss on the masked rows, still divided by 2N
    return ((a - b) ** 2 * m.float().view(-1, 1)).sum() / (2 * a.shape[0])
out = {}
for name, make, schedule in [
        ('sgd', lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, weight_decay=5e-4), lambda t: 0.05 * 0.5 ** sum(t >= m for m in (3, 6))),
        ('adam', lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.99), weight_decay=1e-3), lambda t: 0.02 * 0.3 ** (t // 4))]:
    model = nn.Linear(6, 3)
    model.load_state_dict({'weight': d['start.weight'], 'bias': d['start.bias']})
    opt = make(model.parameters())
    for t in range(10):
        for g in opt.param_groups:
            g['lr'] = schedule(t)
        opt.zero_grad()
        masked_euclidean(model(x), y, mask).backward()
        opt.step()
    out[name + '.weight'] = model.weight.detach().clone()
    out[name + '.bias'] = model.bias.detach().clone()
out['euclidean'] = (((x[:, :3] - y) ** 2).sum() / (2 * 8)).reshape(1)
bce = F.binary_cross_entropy_with_logits(d['logits'], d['alpha'])
out['projector'] = (((d['image'] - d['clean']) ** 2).sum() / (2 * 2) * 0.01 + bce).reshape(1)
save({{Py(dir.File("out.safetensors"))}}, out)
""");
        var reference = SafeTensors.Load(dir.File("out.safetensors"));
        foreach (var key in new[] { "sgd.weight", "sgd.bias", "adam.weight", "adam.bias", "euclidean", "projector" })
            Close(reference[key].data<float>().ToArray(), tensors[key].data<float>().ToArray(), 1e-5, key);
        // The runs moved the weights: a test of something.
        Assert.True((tensors["sgd.weight"] - tensors["start.weight"]).abs().max().ToSingle() > 1e-3);
        Assert.True((tensors["adam.weight"] - tensors["start.weight"]).abs().max().ToSingle() > 1e-3);
        foreach (var t in reference.Values) t.Dispose();
    }
}
