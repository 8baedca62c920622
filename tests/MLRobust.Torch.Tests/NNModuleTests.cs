using MLRobust.Torch.Modules;
using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.NNTestSupport;

namespace MLRobust.Torch.Tests;

/// <summary>A custom module registered by reflection, mirroring the PyTorch class in
/// <see cref="NNModuleTests.PyTorchKeysMatch"/>.</summary>
internal sealed class SmallNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    [ComponentName("fc")] private readonly Linear _fc;
    private readonly Sequential head;
    private readonly Parameter scale;
    private readonly Tensor offset;
    private readonly Dropout drop;

    public SmallNet() : base(nameof(SmallNet))
    {
        conv = nn.Conv2d(1, 2, 3, padding: 1);
        bn = nn.BatchNorm2d(2);
        _fc = nn.Linear(2 * 4 * 4, 3);
        head = nn.Sequential(("act", nn.ReLU()), ("out", nn.Linear(3, 2)));
        scale = new Parameter(ones(2));
        offset = zeros(2);
        drop = nn.Dropout(0.5);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = bn.call(conv.call(input)).relu();
        h = drop.call(h.flatten(1));
        return (head.call(_fc.call(h)) * scale + offset).MoveToOuterDisposeScope();
    }
}

public class NNModuleTests
{
    [Fact]
    public void PyTorchKeysMatch()
    {
        var expected = PythonReference.Run(Prelude + @"
class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1)
        self.bn = nn.BatchNorm2d(2)
        self.fc = nn.Linear(2 * 4 * 4, 3)
        self.head = nn.Sequential()
        self.head.add_module('act', nn.ReLU()); self.head.add_module('out', nn.Linear(3, 2))
        self.scale = nn.Parameter(torch.ones(2))
        self.register_buffer('offset', torch.zeros(2))
        self.drop = nn.Dropout(0.5)
net = SmallNet()
print('P', ' '.join(n for n, _ in net.named_parameters()))
print('S', ' '.join(net.state_dict().keys()))
print('M', ' '.join(n for n, _ in net.named_modules() if n))
print('C', ' '.join(n for n, _ in net.named_children()))
").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l[0], l => l[2..].Trim().Split(' '));

        using var net = new SmallNet();
        // Registration order follows field order (parameters first within a module, then
        // submodules), as PyTorch orders by attribute assignment: compare as sets plus per-module order.
        Assert.Equal(expected['P'].OrderBy(s => s), net.named_parameters().Select(p => p.name).OrderBy(s => s));
        Assert.Equal(expected['S'].OrderBy(s => s), net.state_dict().Keys.OrderBy(s => s));
        Assert.Equal(expected['M'].OrderBy(s => s), net.named_modules().Select(m => m.name).Where(n => n.Length > 0).OrderBy(s => s));
        Assert.Equal(new[] { "conv.weight", "conv.bias" }, net.named_parameters().Select(p => p.name).Where(n => n.StartsWith("conv")));
        Assert.Equal(new[] { "bn.running_mean", "bn.running_var", "bn.num_batches_tracked" }, net.named_buffers().Select(b => b.name).Where(n => n.StartsWith("bn")));
        Assert.Equal(expected['C'].OrderBy(s => s), net.named_children().Select(c => c.name).OrderBy(s => s));
    }

    [Fact]
    public void StateDictRoundTripsAndSharesStorage()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var a = new SmallNet();
        manual_seed(2);
        using var b = new SmallNet();
        a.eval();
        b.eval();
        var x = randn(3, 1, 4, 4);
        Assert.False(a.call(x).allclose(b.call(x)));

        var state = a.state_dict();
        var parametersBefore = b.parameters().ToList();
        var (missing, unexpected) = b.load_state_dict(state);
        Assert.Empty(missing);
        Assert.Empty(unexpected);
        Assert.True(a.call(x).equal(b.call(x)));
        Assert.Equal(parametersBefore, b.parameters().ToList());

        // The values alias the weights: writing one writes the module; disposing them does not hurt it.
        using (no_grad()) state["head.out.bias"].fill_(7);
        Assert.Equal(new[] { 7f, 7f }, a.state_dict()["head.out.bias"].data<float>().ToArray());
        foreach (var t in state.Values) t.Dispose();
        Assert.Equal(new long[] { 3, 2 }, a.call(x).shape);
    }

    [Fact]
    public void LoadStateDictReportsMissingUnexpectedAndMismatchedKeysByName()
    {
        using var scope = NewDisposeScope();
        using var net = new SmallNet();
        var good = net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        var missing = new Dictionary<string, Tensor>(good);
        missing.Remove("fc.weight");
        var e1 = Assert.Throws<ArgumentException>(() => net.load_state_dict(missing));
        Assert.Contains("missing", e1.Message);
        Assert.Contains("'fc.weight'", e1.Message);

        var unexpected = new Dictionary<string, Tensor>(good) { ["extra.weight"] = ones(1) };
        var e2 = Assert.Throws<ArgumentException>(() => net.load_state_dict(unexpected));
        Assert.Contains("unexpected", e2.Message);
        Assert.Contains("'extra.weight'", e2.Message);

        var mismatched = new Dictionary<string, Tensor>(good) { ["conv.bias"] = ones(3) };
        var e3 = Assert.Throws<ArgumentException>(() => net.load_state_dict(mismatched, strict: false));
        Assert.Contains("'conv.bias'", e3.Message);
        Assert.Contains("[3]", e3.Message);
        Assert.Contains("[2]", e3.Message);

        // A failed load copies nothing, even for the keys that matched.
        var poisoned = good.ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        using (no_grad()) poisoned["conv.weight"].fill_(42);
        poisoned["conv.bias"] = ones(5);
        Assert.Throws<ArgumentException>(() => net.load_state_dict(poisoned));
        Assert.NotEqual(42f, net.state_dict()["conv.weight"].max().item<float>());

        // Not strict: loads what matches and lists the rest.
        var partial = new Dictionary<string, Tensor> { ["scale"] = full(new long[] { 2 }, 3.0f), ["nope"] = ones(1) };
        var (m, u) = net.load_state_dict(partial, strict: false);
        Assert.Equal(new[] { "nope" }, u);
        Assert.Contains("conv.weight", m);
        Assert.DoesNotContain("scale", m);
        Assert.Equal(new[] { 3f, 3f }, net.state_dict()["scale"].data<float>().ToArray());

        // skip: keys ignored on both sides.
        var (m2, _) = net.load_state_dict(missing, skip: new[] { "fc.weight" });
        Assert.Empty(m2);
    }

    [Fact]
    public void TrainAndEvalSwitchDropoutAndBatchNormRecursively()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var net = new SmallNet();
        var x = randn(4, 1, 4, 4);
        Assert.All(net.modules(), m => Assert.True(m.training));
        var t1 = net.call(x);
        var t2 = net.call(x);
        Assert.False(t1.allclose(t2), "dropout in training mode should make two passes differ");
        var counted = net.state_dict()["bn.num_batches_tracked"].item<long>();
        Assert.Equal(2, counted);

        net.eval();
        Assert.All(net.modules(), m => Assert.False(m.training));
        var e1 = net.call(x);
        var e2 = net.call(x);
        Assert.True(e1.equal(e2));
        Assert.Equal(2, net.state_dict()["bn.num_batches_tracked"].item<long>());
        net.train();
        Assert.All(net.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void WeightsSurviveTheDisposeScopeTheyWereCreatedIn()
    {
        Sequential model;
        using (NewDisposeScope())
        {
            model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1));
            using var bn = nn.BatchNorm1d(4);
        }
        Assert.All(model.parameters(), p => Assert.False(p.IsInvalid));
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        for (var step = 0; step < 5; step++)
        {
            using var _ = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.call(ones(2, 3)).pow(2).mean();
            loss.backward();
            optimizer.step();
        }
        Assert.All(model.parameters(), p => Assert.False(p.IsInvalid));
        using var y = model.call(ones(1, 3));
        Assert.Equal(new long[] { 1, 1 }, y.shape);
        model.Dispose();
        Assert.All(model.named_parameters(), p => Assert.Fail("parameters remain after Dispose"));
    }

    [Fact]
    public void DisposeReleasesParametersAndBuffers()
    {
        var net = new SmallNet();
        var parameters = net.parameters().ToList();
        var buffers = net.buffers().ToList();
        net.Dispose();
        Assert.All(parameters, p => Assert.True(p.IsInvalid));
        Assert.All(buffers, b => Assert.True(b.IsInvalid));
    }

    [Fact]
    public void ToDtypeKeepsParameterObjectsSoExistingOptimizersStillWork()
    {
        using var scope = NewDisposeScope();
        using var net = new SmallNet();
        var before = net.parameters().ToList();
        using var optimizer = optim.SGD(net.parameters(), 0.5);
        var result = net.to(ScalarType.Float64);
        Assert.Same(net, result);
        Assert.Equal(before, net.parameters().ToList());
        Assert.All(net.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.All(net.parameters(), p => Assert.True(p.requires_grad && p.is_leaf));
        Assert.Equal(ScalarType.Float64, net.state_dict()["bn.running_mean"].dtype);
        Assert.Equal(ScalarType.Int64, net.state_dict()["bn.num_batches_tracked"].dtype);

        net.eval();
        var x = randn(new long[] { 2, 1, 4, 4 }, ScalarType.Float64);
        var bias = net.state_dict()["head.out.bias"].clone();
        var loss = net.call(x).sum();
        loss.backward();
        optimizer.step();
        // d(sum)/d(bias) = batch size (2) per output, times the scale (1): bias moves by -lr·2.
        AssertClose(Values(bias - 1.0), net.state_dict()["head.out.bias"], 1e-12, 0, "bias after step");
        net.to(CPU);
        net.cpu();
        Assert.Equal(before, net.parameters().ToList());
        if (!cuda.is_available())
            Assert.Contains("CUDA is not available", Assert.Throws<InvalidOperationException>(() => net.cuda()).Message);
        Assert.Throws<ArgumentException>(() => net.to(ScalarType.Int32));
    }

    [Fact]
    public void ZeroGradDropsOrZeroesGradients()
    {
        using var scope = NewDisposeScope();
        using var linear = nn.Linear(2, 1);
        linear.call(ones(1, 2)).sum().backward();
        Assert.NotNull(linear.weight.grad);
        linear.zero_grad(set_to_none: false);
        Assert.Equal(new[] { 0f, 0f }, linear.weight.grad!.data<float>().ToArray());
        linear.zero_grad();
        Assert.Null(linear.weight.grad);
        Assert.Null(linear.bias!.grad);
    }

    [Fact]
    public void RegistrationRulesAndEnumeration()
    {
        using var scope = NewDisposeScope();
        using var shared = nn.Linear(2, 2);
        using var seq = nn.Sequential(shared, nn.ReLU(), shared);
        // A module used twice contributes its parameters once, as in PyTorch.
        Assert.Equal(2, seq.parameters().Count());
        Assert.Equal(new[] { "0.weight", "0.bias" }, seq.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "", "0", "1" }, seq.named_modules().Select(m => m.name));
        Assert.Equal(3, seq.Count);
        Assert.Same(shared, seq[2]);

        Assert.Throws<ArgumentException>(() => seq.register_buffer("a.b", ones(1)));
        Assert.Throws<ArgumentException>(() => seq.register_parameter("0", new Parameter(ones(1))));
        Assert.Throws<ArgumentException>(() => seq.append("1", nn.ReLU()));
        seq.register_buffer("stats", ones(2), persistent: false);
        Assert.Contains("stats", seq.named_buffers().Select(b => b.name));
        Assert.DoesNotContain("stats", seq.state_dict().Keys);

        using var list = nn.ModuleList(nn.Linear(1, 2), nn.Linear(2, 3));
        Assert.Equal(new[] { "0.weight", "0.bias", "1.weight", "1.bias" }, list.named_parameters().Select(p => p.name));
        Assert.Equal(3, list[1].out_features);

        var named = nn.Sequential(("encoder", nn.Linear(2, 2)), ("act", nn.Tanh()));
        named.append(nn.Linear(2, 1));
        Assert.Equal(new[] { "encoder.weight", "encoder.bias", "2.weight", "2.bias" }, named.named_parameters().Select(p => p.name));
        named.Dispose();
    }

    [Fact]
    public void RequiresGradFreezesAndApplyVisitsEveryModule()
    {
        using var scope = NewDisposeScope();
        using var net = new SmallNet();
        net.requires_grad_(false);
        Assert.All(net.parameters(), p => Assert.False(p.requires_grad));
        var y = net.call(ones(2, 1, 4, 4));
        Assert.False(y.requires_grad);
        net.requires_grad_();
        Assert.All(net.parameters(), p => Assert.True(p.requires_grad));

        var visited = new List<string>();
        net.apply(m =>
        {
            visited.Add(m.GetName());
            if (m is Linear linear) nn.init.zeros_(linear.weight);
        });
        Assert.Equal("SmallNet", visited[^1]);
        Assert.Equal(net.modules().Count(), visited.Count);
        Assert.Equal(0f, net.state_dict()["fc.weight"].abs().sum().item<float>());
        Assert.Equal(0f, net.state_dict()["head.out.weight"].abs().sum().item<float>());
    }

    [Fact]
    public void ParameterIsALeafSharingStorageAndLeavesTheSourceValid()
    {
        using var scope = NewDisposeScope();
        var data = ones(3);
        var computed = data * 2;
        var p = new Parameter(computed);
        Assert.True(p.requires_grad);
        Assert.True(p.is_leaf);
        Assert.False(computed.IsInvalid);
        using (no_grad()) p.fill_(5);
        Assert.Equal(new[] { 5f, 5f, 5f }, computed.data<float>().ToArray());
        scope.Dispose();
        Assert.False(p.IsInvalid);
        Assert.Equal(15f, p.sum().item<float>());
        var frozen = nn.Parameter(ones(2), requires_grad: false);
        Assert.False(frozen.requires_grad);
        p.Dispose();
        frozen.Dispose();
    }
}
