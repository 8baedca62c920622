using MLRobust.Torch.Modules;
using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.NNTestSupport;

namespace MLRobust.Torch.Tests;

/// <summary>Optimizers and schedulers against torch.optim: the same float64 least-squares problem,
/// the same starting point and the same number of steps must give PyTorch's parameters; the
/// schedulers must give PyTorch's learning-rate sequences.</summary>
public class OptimTests
{
    private const int Steps = 7;
    private static readonly double[] X = DataD(8 * 3, 301);
    private static readonly double[] Y = DataD(8 * 2, 302);
    private static readonly double[] W0 = DataD(3 * 2, 303);
    private static readonly double[] B0 = DataD(2, 304);

    /// <summary>(name, C# optimizer factory over (W, b), Python constructor over W, b, sign of the loss).</summary>
    private static IEnumerable<(string name, Func<Parameter, Parameter, optim.Optimizer> create, string python, double sign)> Configurations()
    {
        yield return ("sgd_nesterov", (w, b) => optim.SGD(new[] { w, b }, 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.05),
            "torch.optim.SGD([W, b], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05)", 1);
        yield return ("sgd_dampening", (w, b) => optim.SGD(new[] { w, b }, 0.05, momentum: 0.8, dampening: 0.3, weight_decay: 0.01),
            "torch.optim.SGD([W, b], lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01)", 1);
        yield return ("sgd_plain", (w, b) => optim.SGD(new[] { w, b }, 0.2), "torch.optim.SGD([W, b], lr=0.2)", 1);
        yield return ("sgd_maximize", (w, b) => optim.SGD(new[] { w, b }, 0.1, momentum: 0.5, maximize: true),
            "torch.optim.SGD([W, b], lr=0.1, momentum=0.5, maximize=True)", -1);
        yield return ("sgd_groups", (w, b) => optim.SGD(new[] { new SGD.ParamGroup(new[] { w }, lr: 0.2, momentum: 0.5), new SGD.ParamGroup(new[] { b }) }, 0.05, weight_decay: 0.1),
            "torch.optim.SGD([{'params': [W], 'lr': 0.2, 'momentum': 0.5}, {'params': [b]}], lr=0.05, weight_decay=0.1)", 1);
        yield return ("adam", (w, b) => optim.Adam(new[] { w, b }, 0.05, beta1: 0.8, beta2: 0.95, eps: 1e-6, weight_decay: 0.02),
            "torch.optim.Adam([W, b], lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.02)", 1);
        yield return ("adam_amsgrad", (w, b) => optim.Adam(new[] { w, b }, 0.1, amsgrad: true),
            "torch.optim.Adam([W, b], lr=0.1, amsgrad=True)", 1);
        yield return ("adam_groups", (w, b) => optim.Adam(new[] { new Adam.ParamGroup(new[] { w }, lr: 0.01, beta1: 0.5), new Adam.ParamGroup(new[] { b }, amsgrad: true) }, 0.1),
            "torch.optim.Adam([{'params': [W], 'lr': 0.01, 'betas': (0.5, 0.999)}, {'params': [b], 'amsgrad': True}], lr=0.1)", 1);
        yield return ("adamw", (w, b) => optim.AdamW(new[] { w, b }, 0.05, weight_decay: 0.1),
            "torch.optim.AdamW([W, b], lr=0.05, weight_decay=0.1)", 1);
        yield return ("adamw_default_amsgrad", (w, b) => optim.AdamW(new[] { w, b }, amsgrad: true),
            "torch.optim.AdamW([W, b], amsgrad=True)", 1);
    }

    [Fact]
    public void OptimizersFollowPyTorchsUpdateRules()
    {
        var script = $@"
X = T({PythonReference.List(X)}, [8,3], torch.float64)
Y = T({PythonReference.List(Y)}, [8,2], torch.float64)
";
        foreach (var (name, _, python, sign) in Configurations())
        {
            script += $@"
W = T({PythonReference.List(W0)}, [3,2], torch.float64).requires_grad_()
b = torch.tensor({PythonReference.List(B0)}, dtype=torch.float64).requires_grad_()
opt = {python}
for i in range({Steps}):
    opt.zero_grad()
    loss = {sign} * ((X @ W + b - Y) ** 2).mean()
    loss.backward()
    opt.step()
out('{name}_W', W); out('{name}_b', b)
";
        }
        var expected = RunNamed(script);

        foreach (var (name, create, _, sign) in Configurations())
        {
            using var scope = NewDisposeScope();
            var x = tensor(X, new long[] { 8, 3 });
            var y = tensor(Y, new long[] { 8, 2 });
            using var w = new Parameter(tensor(W0, new long[] { 3, 2 }));
            using var b = new Parameter(tensor(B0));
            using var optimizer = create(w, b);
            for (var i = 0; i < Steps; i++)
            {
                using var step = NewDisposeScope();
                optimizer.zero_grad();
                var loss = (x.matmul(w) + b - y).pow(2).mean() * sign;
                loss.backward();
                optimizer.step();
            }
            AssertClose(expected[name + "_W"], w, 1e-12, 1e-10, name + " W");
            AssertClose(expected[name + "_b"], b, 1e-12, 1e-10, name + " b");
        }
    }

    [Fact]
    public void StepLeavesNothingInTheCallersScopeAndSkipsParametersWithoutGradients()
    {
        using var scope = NewDisposeScope();
        using var used = new Parameter(ones(3));
        using var unused = new Parameter(full(new long[] { 2 }, 5.0f));
        using var adam = optim.Adam(new[] { used, unused }, 0.1);
        (used * used).sum().backward();
        var before = scope.DisposablesCount;
        adam.step();
        adam.step();
        Assert.Equal(before, scope.DisposablesCount);
        Assert.Equal(new[] { 5f, 5f }, unused.data<float>().ToArray());
        Assert.All(used.data<float>().ToArray(), v => Assert.True(v < 1f));
    }

    [Fact]
    public void ClosureIsEvaluatedAndItsLossReturned()
    {
        using var scope = NewDisposeScope();
        using var p = new Parameter(tensor(new[] { 2.0 }));
        using var sgd = optim.SGD(new[] { p }, 0.25);
        var loss = sgd.step(() =>
        {
            sgd.zero_grad();
            var l = (p * p).sum();
            l.backward();
            return l;
        });
        Assert.Equal(4.0, loss!.item<double>());
        Assert.Equal(1.0, p.item<double>()); // 2 - 0.25·(2·2)
    }

    [Fact]
    public void OptionsAreValidatedAndGroupsExposeTheirLearningRates()
    {
        using var p = new Parameter(ones(2));
        using var q = new Parameter(ones(2));
        Assert.Throws<ArgumentException>(() => optim.SGD(new[] { p }, 0.1, momentum: 0, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.SGD(new[] { p }, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => optim.Adam(new[] { p }, beta1: 1.0));
        Assert.Throws<ArgumentException>(() => optim.Adam(Array.Empty<Parameter>()));
        Assert.Contains("more than one parameter group", Assert.Throws<ArgumentException>(() => optim.SGD(new[] { p, p }, 0.1)).Message);

        using var sgd = optim.SGD(new[] { new SGD.ParamGroup(new[] { p }, lr: 0.5), new SGD.ParamGroup(new[] { q }) }, 0.1, momentum: 0.9);
        Assert.Equal(new[] { 0.5, 0.1 }, sgd.param_groups.Select(g => g.LearningRate));
        Assert.Equal(0.9, ((SGD.ParamGroup)sgd.param_groups[1]).momentum);
        sgd.LearningRate = 0.01;
        Assert.Equal(new[] { 0.01, 0.01 }, sgd.ParamGroups.Select(g => g.LearningRate));
        Assert.Throws<ArgumentException>(() => sgd.add_param_group(new Adam.ParamGroup(new[] { new Parameter(ones(1)) })));
        Assert.Equal(2, sgd.parameters().Count());
    }

    [Fact]
    public void SchedulersGivePyTorchsLearningRates()
    {
        const int epochs = 16;
        var expected = RunNamed($@"
def run(name, make):
    p = torch.zeros(1, requires_grad=True); q = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([{{'params': [p]}}, {{'params': [q], 'lr': 0.5}}], lr=0.1)
    s = make(opt)
    lrs = list(s.get_last_lr())
    for e in range({epochs}):
        opt.step(); s.step(); lrs += s.get_last_lr()
    out(name, lrs)
run('step', lambda o: torch.optim.lr_scheduler.StepLR(o, 3, gamma=0.5))
run('multistep', lambda o: torch.optim.lr_scheduler.MultiStepLR(o, [2, 5, 5, 11], gamma=0.3))
run('cosine', lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 5, eta_min=0.01))
run('cosine_long', lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 12))
run('exponential', lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9))
");
        void Run(string name, Func<optim.Optimizer, optim.lr_scheduler.LRScheduler> make)
        {
            using var p = new Parameter(zeros(1));
            using var q = new Parameter(zeros(1));
            using var sgd = optim.SGD(new[] { new SGD.ParamGroup(new[] { p }), new SGD.ParamGroup(new[] { q }, lr: 0.5) }, 0.1);
            var scheduler = make(sgd);
            var lrs = new List<double>(scheduler.get_last_lr());
            for (var e = 0; e < epochs; e++)
            {
                sgd.step();
                scheduler.step();
                lrs.AddRange(scheduler.get_last_lr());
                Assert.Equal(scheduler.get_last_lr(), sgd.param_groups.Select(g => g.LearningRate));
            }
            AssertClose(expected[name], lrs.ToArray(), 1e-15, 1e-13, name);
            Assert.Equal(new[] { 0.1, 0.5 }, scheduler.base_lrs);
            Assert.Equal(epochs, scheduler.last_epoch);
        }

        Run("step", o => optim.lr_scheduler.StepLR(o, 3, gamma: 0.5));
        Run("multistep", o => optim.lr_scheduler.MultiStepLR(o, new[] { 2, 5, 5, 11 }, gamma: 0.3));
        Run("cosine", o => optim.lr_scheduler.CosineAnnealingLR(o, 5, eta_min: 0.01));
        Run("cosine_long", o => optim.lr_scheduler.CosineAnnealingLR(o, 12));
        Run("exponential", o => optim.lr_scheduler.ExponentialLR(o, 0.9));
    }

    [Fact]
    public void DisposingTheOptimizerReleasesItsState()
    {
        using var p = new Parameter(ones(3));
        var sgd = optim.SGD(new[] { p }, 0.1, momentum: 0.9);
        using (NewDisposeScope())
        {
            (p * 2).sum().backward();
            sgd.step();
        }
        sgd.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sgd.step());
        Assert.False(p.IsInvalid);
    }
}
