using MLRobust.Attacks;
using MLRobust.Serialization;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>FGSM, BIM, MI-FGSM and PGD (L∞, L2) against PyTorch: the same small CNN and weights (through
/// safetensors) and an independent Python implementation of each published update rule, to 1e-5.</summary>
public class AttackGradientTests
{
    private const int N = 8, C = 3, S = 10, K = 6;

    // The published rules, written independently of the C# code. goal_dir is the gradient of the summed
    // cross entropy w.r.t. the input, negated for a target (targeted attacks descend towards it).
    private const string Rules = """
def goal_dir(x, goal, targeted):
    x = x.clone().requires_grad_(True)
    loss = F.cross_entropy(model(x), goal, reduction='sum')
    g, = torch.autograd.grad(loss, x)
    return -g if targeted else g
def project_linf(xa, x, eps, lo, hi):
    return torch.clamp(x + torch.clamp(xa - x, -eps, eps), lo, hi)
def fgsm(x, goal, targeted, eps, lo, hi):
    return torch.clamp(torch.add(x, goal_dir(x, goal, targeted).sign(), alpha=eps), lo, hi)
def bim(x, goal, targeted, eps, alpha, steps, lo, hi, start=None):
    xa = x.clone() if start is None else start
    for _ in range(steps):
        xa = project_linf(torch.add(xa, goal_dir(xa, goal, targeted).sign(), alpha=alpha), x, eps, lo, hi)
    return xa
def mifgsm(x, goal, targeted, eps, steps, mu, lo, hi):
    alpha = eps / steps
    xa, g = x.clone(), torch.zeros_like(x)
    for _ in range(steps):
        d = goal_dir(xa, goal, targeted)
        n = d.abs().flatten(1).sum(1)
        g = g * mu + d / torch.where(n == 0, torch.ones_like(n), n).view(-1, 1, 1, 1)
        xa = project_linf(torch.add(xa, g.sign(), alpha=alpha), x, eps, lo, hi)
    return xa
def pgd_l2(x, goal, targeted, eps, alpha, steps, start, lo, hi):
    xa = start
    for _ in range(steps):
        d = goal_dir(xa, goal, targeted)
        xa = xa + d / (d.flatten(1).norm(dim=1).view(-1, 1, 1, 1) + 1e-10) * alpha
        delta = xa - x
        factor = (eps / (delta.flatten(1).norm(dim=1).view(-1, 1, 1, 1) + 1e-10)).clamp(max=1.0)
        xa = torch.clamp(x + delta * factor, lo, hi)
    return xa
""";

    [Fact]
    public void GradientAttacksEqualPyTorch()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        var model = SmallCnn(C, K, S, seed: 7);
        var target = new LogitsAttackTarget(model, K);
        var x = Images(N, C, S, S, seed: 11);
        var labels = tensor(new long[] { 0, 1, 2, 3, 4, 5, 0, 1 });
        var targets = tensor(new long[] { 3, 3, 0, 1, 2, 2, 5, 4 });
        const double eps = 8 / 255.0;
        var ids = Enumerable.Range(0, N).Select(i => (long)i).ToArray();
        var shape = new long[] { N, C, S, S };
        var noiseInf = tensor(Pgd.RandomStartValues(shape, PgdNorm.LInf, eps, 3, ids), shape);
        var noiseL2 = tensor(Pgd.RandomStartValues(shape, PgdNorm.L2, 1.0, 3, ids), shape);

        var ours = new Dictionary<string, Tensor>
        {
            ["fgsm_u"] = new Fgsm(target, new FgsmOptions { Epsilon = 0.03 }).Run(x, labels).Adversarial,
            ["fgsm_t"] = new Fgsm(target, new FgsmOptions { Epsilon = 0.03, Target = TargetSelection.Given }).Run(x, labels, targets).Adversarial,
            ["bim_u"] = new Bim(target, new BimOptions { Epsilon = eps }).Run(x, labels).Adversarial,
            ["bim_t"] = new Bim(target, new BimOptions { Epsilon = eps, Target = TargetSelection.Given }).Run(x, labels, targets).Adversarial,
            ["bim_grey"] = new Bim(new LogitsAttackTarget(new GreyInput(model), K), new BimOptions { Range = InputRange.Grey }).Run(x * 255, labels).Adversarial,
            ["mi_u"] = new MiFgsm(target, new MiFgsmOptions()).Run(x, labels).Adversarial,
            ["mi_t"] = new MiFgsm(target, new MiFgsmOptions { Target = TargetSelection.Given }).Run(x, labels, targets).Adversarial,
            ["pgd_u"] = new Pgd(target, new PgdOptions { Seed = 3 }).Run(x, labels).Adversarial,
            ["pgd_t"] = new Pgd(target, new PgdOptions { Seed = 3, Target = TargetSelection.Given }).Run(x, labels, targets).Adversarial,
            ["pgd_l2"] = new Pgd(target, new PgdOptions { Seed = 3, Norm = PgdNorm.L2 }).Run(x, labels).Adversarial,
        };

        var inputs = new Dictionary<string, Tensor>(model.state_dict()) { ["x"] = x, ["labels"] = labels, ["targets"] = targets, ["noise_inf"] = noiseInf, ["noise_l2"] = noiseL2 };
        SafeTensors.Save(inputs, dir.File("in.safetensors"));
        Run(PythonSmallCnn(C, K, S) + "\n" + Rules + "\n" + $$"""
d = load({{Py(dir.File("in.safetensors"))}})
model.load_state_dict({k: v for k, v in d.items() if '.' in k})
model.eval()
x, y, t = d['x'], d['labels'], d['targets']
eps = 8 / 255
r = {}
r['fgsm_u'] = fgsm(x, y, False, 0.03, 0, 1)
r['fgsm_t'] = fgsm(x, t, True, 0.03, 0, 1)
r['bim_u'] = bim(x, y, False, eps, 1 / 255, 10, 0, 1)
r['bim_t'] = bim(x, t, True, eps, 1 / 255, 10, 0, 1)
base_model = model
model = lambda v: base_model(v / 255)
r['bim_grey'] = bim(x * 255, y, False, 8.0, 1.0, 10, 0, 255)
model = base_model
r['mi_u'] = mifgsm(x, y, False, eps, 10, 1.0, 0, 1)
r['mi_t'] = mifgsm(x, t, True, eps, 10, 1.0, 0, 1)
r['pgd_u'] = bim(x, y, False, eps, 2 / 255, 10, 0, 1, start=torch.clamp(x + d['noise_inf'], 0, 1))
r['pgd_t'] = bim(x, t, True, eps, 2 / 255, 10, 0, 1, start=torch.clamp(x + d['noise_inf'], 0, 1))
r['pgd_l2'] = pgd_l2(x, y, False, 1.0, 0.2, 10, torch.clamp(x + d['noise_l2'], 0, 1), 0, 1)
save({{Py(dir.File("out.safetensors"))}}, r)
""");
        var reference = SafeTensors.Load(dir.File("out.safetensors"));
        foreach (var (name, adversarial) in ours)
        {
            var tolerance = name == "bim_grey" ? 255e-5 : 1e-5;
            Close(reference[name].data<float>().ToArray(), adversarial.data<float>().ToArray(), tolerance, name);
            // The attack did something: it is not the clean image.
            Assert.True(adversarial.sub(name == "bim_grey" ? x * 255 : x).abs().max().ToSingle() > 1e-3, $"{name} left the images unchanged");
        }
        foreach (var t in reference.Values) t.Dispose();
    }

    /// <summary>MI-FGSM on a network so confident that its input gradients are far below 1e-12 (yet not zero): the update
    /// divides by the true L1 norm, as Dong et al. and the independent implementation do; a floor (the earlier 1e-12
    /// clamp) rescales those gradients and gives other images, which the second reference shows.</summary>
    [Fact]
    public void MiFgsmOnAConfidentNetwork_NormalisesByTheTrueL1Norm()
    {
        using var dir = new TempDir();
        using var scope = NewDisposeScope();
        const int n = 6, c = 1, s = 4, k = 3;
        var model = Mlp(c * s * s, 8, k, seed: 21, gain: 6);
        // Class 0 wins by about 40 logits: softmax leaves the other classes ~1e-18, and the gradients follow.
        var fc2 = (nn.Module<Tensor, Tensor>)((nn.Module)model).named_children().Single(m => m.name == "fc2").module;
        using (no_grad()) ((TorchSharp.Modules.Linear)fc2).bias![0].add_(40);
        var x = Images(n, c, s, s, seed: 5);
        var labels = zeros(n, ScalarType.Int64);
        var target = new LogitsAttackTarget(model, k);

        // The case is the one the fix is about: real gradients below 1e-12.
        var xg = x.detach().requires_grad_(true);
        var loss = nn.functional.cross_entropy(model.call(xg), labels, reduction: nn.Reduction.Sum);
        var l1 = autograd.grad(new[] { loss }, new[] { xg })[0].abs().reshape(n, -1).sum(1).data<float>().ToArray();
        Assert.Contains(l1, v => v > 0 && v < 1e-12);

        var ours = new MiFgsm(target, new MiFgsmOptions { Epsilon = 16 / 255.0, Steps = 10 }).Run(x, labels).Adversarial;
        var inputs = new Dictionary<string, Tensor>(model.state_dict()) { ["x"] = x, ["labels"] = labels };
        SafeTensors.Save(inputs, dir.File("in.safetensors"));
        Run($$"""
from collections import OrderedDict
model = nn.Sequential(OrderedDict([('flat', nn.Flatten()), ('fc1', nn.Linear({{c * s * s}}, 8)), ('tanh', nn.Tanh()), ('fc2', nn.Linear(8, {{k}}))]))
""" + "\n" + Rules + "\n" + $$"""
def mifgsm_floor(x, goal, targeted, eps, steps, mu, lo, hi):
    alpha = eps / steps
    xa, g = x.clone(), torch.zeros_like(x)
    for _ in range(steps):
        d = goal_dir(xa, goal, targeted)
        g = g * mu + d / d.abs().flatten(1).sum(1).clamp_min(1e-12).view(-1, 1, 1, 1)
        xa = project_linf(torch.add(xa, g.sign(), alpha=alpha), x, eps, lo, hi)
    return xa
d = load({{Py(dir.File("in.safetensors"))}})
model.load_state_dict({k: v for k, v in d.items() if '.' in k})
model.eval()
x, y = d['x'], d['labels']
save({{Py(dir.File("out.safetensors"))}}, {'true': mifgsm(x, y, False, 16 / 255, 10, 1.0, 0, 1), 'floor': mifgsm_floor(x, y, False, 16 / 255, 10, 1.0, 0, 1)})
""");
        var reference = SafeTensors.Load(dir.File("out.safetensors"));
        Close(reference["true"].data<float>().ToArray(), ours.data<float>().ToArray(), 1e-5, "MI-FGSM vs the true-L1 reference");
        Assert.True((reference["floor"] - ours).abs().max().ToSingle() > 1 / 255f, "the floored update should differ here: the case does not exercise the fix");
        foreach (var t in reference.Values) t.Dispose();
    }

    /// <summary>The same network on grey levels: x / 255 first (fed raw 0-255 values the small CNN saturates, and the
    /// sign of its ~1e-9 gradients is rounding noise that differs between libtorch builds).</summary>
    private sealed class GreyInput : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;

        public GreyInput(nn.Module<Tensor, Tensor> inner) : base(nameof(GreyInput))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => inner.call(input / 255);
    }

    [Fact]
    public void BimDefaultStepsFollowKurakin()
    {
        // min(ε + 4, 1.25ε) in grey levels, truncated.
        Assert.Equal(10, Bim.DefaultSteps(8));
        Assert.Equal(5, Bim.DefaultSteps(4));
        Assert.Equal(20, Bim.DefaultSteps(16));
        Assert.Equal(1, Bim.DefaultSteps(0.5));
    }
}
