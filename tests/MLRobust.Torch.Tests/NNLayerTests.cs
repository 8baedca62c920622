using System.Text;
using MLRobust.Torch.Modules;
using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.NNTestSupport;

namespace MLRobust.Torch.Tests;

/// <summary>The layers against the same PyTorch modules loaded with the same weights, computed in one
/// Python run: forward values (1e-5), BatchNorm running statistics, and default initialisation
/// under a seed.</summary>
public sealed class NNLayerReference
{
    internal static readonly long[] ImageShape = { 2, 3, 7, 7 };
    internal static readonly float[] Image = Data(Count(ImageShape), 101);
    internal static readonly float[] Image2 = Data(Count(ImageShape), 102).Select(v => v * 2 + 0.5f).ToArray();
    internal static readonly float[] Features = Data(5 * 6, 103);

    /// <summary>Each case: the C# module, the Python constructor, and its input name.</summary>
    internal static IEnumerable<(string name, Func<nn.Module<Tensor, Tensor>> create, string python, string input)> Cases()
    {
        yield return ("conv_reflect", () => nn.Conv2d(3, 4, 3, stride: 2, padding: 1, padding_mode: PaddingModes.Reflect),
            "nn.Conv2d(3, 4, 3, stride=2, padding=1, padding_mode='reflect')", "x");
        yield return ("conv_replicate_groups", () => nn.Conv2d(3, 6, (2, 3), padding: (1, 2), padding_mode: PaddingModes.Replicate, groups: 3),
            "nn.Conv2d(3, 6, (2, 3), padding=(1, 2), padding_mode='replicate', groups=3)", "x");
        yield return ("conv_circular", () => nn.Conv2d(3, 2, 3, padding: 2, dilation: 2, padding_mode: PaddingModes.Circular, bias: false),
            "nn.Conv2d(3, 2, 3, padding=2, dilation=2, padding_mode='circular', bias=False)", "x");
        yield return ("conv_zeros", () => nn.Conv2d(3, 4, (3, 1), stride: (2, 1), padding: (0, 1)),
            "nn.Conv2d(3, 4, (3, 1), stride=(2, 1), padding=(0, 1))", "x");
        yield return ("conv_transpose", () => nn.ConvTranspose2d(3, 2, 3, stride: 2, padding: 1, output_padding: 1),
            "nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1)", "x");
        yield return ("conv_transpose_groups", () => nn.ConvTranspose2d(3, 6, (2, 3), stride: (2, 1), groups: 3, dilation: (1, 2)),
            "nn.ConvTranspose2d(3, 6, (2, 3), stride=(2, 1), groups=3, dilation=(1, 2))", "x");
        yield return ("linear", () => nn.Linear(6, 4), "nn.Linear(6, 4)", "feat");
        yield return ("linear_nobias", () => nn.Linear(6, 3, hasBias: false), "nn.Linear(6, 3, bias=False)", "feat");
        yield return ("lrn", () => nn.LocalResponseNorm(3, 0.5, 0.75, 2), "nn.LocalResponseNorm(3, 0.5, 0.75, 2.0)", "x");
        yield return ("maxpool", () => nn.MaxPool2d(3, 2, 1, ceil_mode: true), "nn.MaxPool2d(3, 2, 1, ceil_mode=True)", "x");
        yield return ("maxpool_rect", () => nn.MaxPool2d((2, 3), (1, 2), dilation: (2, 1)), "nn.MaxPool2d((2, 3), (1, 2), dilation=(2, 1))", "x");
        yield return ("avgpool", () => nn.AvgPool2d(3, 2, 1, ceil_mode: true, count_include_pad: false),
            "nn.AvgPool2d(3, 2, 1, ceil_mode=True, count_include_pad=False)", "x");
        yield return ("adaptive", () => nn.AdaptiveAvgPool2d((2, 3)), "nn.AdaptiveAvgPool2d((2, 3))", "x");
        yield return ("relu", () => nn.ReLU(), "nn.ReLU()", "x");
        yield return ("leaky", () => nn.LeakyReLU(0.1), "nn.LeakyReLU(0.1)", "x");
        yield return ("sigmoid", () => nn.Sigmoid(), "nn.Sigmoid()", "x");
        yield return ("tanh", () => nn.Tanh(), "nn.Tanh()", "x");
        yield return ("softmax", () => nn.Softmax(1), "nn.Softmax(1)", "x");
        yield return ("logsoftmax", () => nn.LogSoftmax(-1), "nn.LogSoftmax(-1)", "x");
        yield return ("flatten", () => nn.Flatten(), "nn.Flatten()", "x");
        yield return ("flatten_inner", () => nn.Flatten(2, 3), "nn.Flatten(2, 3)", "x");
        yield return ("unflatten", () => nn.Unflatten(1, new long[] { 2, 3 }), "nn.Unflatten(1, (2, 3))", "feat");
        yield return ("upsample", () => nn.Upsample(scale_factor: new[] { 2.0 }, mode: InterpolationMode.Bilinear, align_corners: true),
            "nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)", "x");
        yield return ("dropout_eval", () => { var d = nn.Dropout(0.4); d.eval(); return d; }, "nn.Dropout(0.4).eval()", "x");
        yield return ("sequential", () => nn.Sequential(
                nn.Conv2d(3, 5, 3, padding: 1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(5 * 3 * 3, 4)),
            "nn.Sequential(nn.Conv2d(3, 5, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(5 * 3 * 3, 4))", "x");
    }

    /// <summary>Deterministic weights for a module's parameters, by name (the same on both sides).</summary>
    internal static Dictionary<string, float[]> Weights(nn.Module module, int seed)
    {
        var result = new Dictionary<string, float[]>();
        var k = 0;
        foreach (var (name, p) in module.named_parameters())
            result[name] = Data((int)p.numel(), seed * 100 + k++).Select(v => v * 0.5f).ToArray();
        return result;
    }

    internal static void Load(nn.Module module, Dictionary<string, float[]> weights)
    {
        using var scope = NewDisposeScope();
        var state = weights.ToDictionary(kv => kv.Key, kv => tensor(kv.Value, module.named_parameters().First(p => p.name == kv.Key).parameter.shape));
        module.load_state_dict(state, strict: false);
    }

    public NNLayerReference()
    {
        var script = new StringBuilder();
        script.AppendLine($"x = T({PythonReference.List(Image)}, {Shape(ImageShape)})");
        script.AppendLine($"x2 = T({PythonReference.List(Image2)}, {Shape(ImageShape)})");
        script.AppendLine($"feat = T({PythonReference.List(Features)}, [5,6])");
        var seed = 1;
        foreach (var (name, create, python, input) in Cases())
        {
            using var module = create();
            var weights = Weights(module, seed++);
            script.AppendLine($"m = {python}");
            script.AppendLine("sd = m.state_dict()");
            foreach (var (key, values) in weights)
                script.AppendLine($"sd['{key}'] = torch.tensor({PythonReference.List(values)}).reshape(sd['{key}'].shape)");
            script.AppendLine("m.load_state_dict(sd)");
            script.AppendLine($"out('{name}', m({input}))");
            script.AppendLine($"out('{name}_keys_count', [len(sd)])");
        }
        // BatchNorm: two training batches, then eval; momentum and cumulative averaging.
        script.AppendLine(@"
for tag, bn in [('bn', nn.BatchNorm2d(3, momentum=0.2)), ('bn_cumulative', nn.BatchNorm2d(3, momentum=None, eps=1e-3))]:
    with torch.no_grad():
        bn.weight.copy_(torch.tensor([1.5, 0.5, -1.0])); bn.bias.copy_(torch.tensor([0.1, -0.2, 0.3]))
    out(tag + '_train1', bn(x)); out(tag + '_train2', bn(x2))
    out(tag + '_mean', bn.running_mean); out(tag + '_var', bn.running_var); out(tag + '_count', bn.num_batches_tracked)
    bn.eval(); out(tag + '_eval', bn(x))
bn1 = nn.BatchNorm1d(6, affine=False)
out('bn1d_train', bn1(feat)); out('bn1d_mean', bn1.running_mean); bn1.eval(); out('bn1d_eval', bn1(feat))
bn_nostats = nn.BatchNorm2d(3, track_running_stats=False); bn_nostats.eval(); out('bn_nostats_eval', bn_nostats(x))
torch.manual_seed(123)
c = nn.Conv2d(3, 4, 3); l = nn.Linear(6, 4); t = nn.ConvTranspose2d(3, 2, (3, 2), groups=1); b = nn.Linear(5, 2)
out('init_conv_w', c.weight); out('init_conv_b', c.bias); out('init_linear_w', l.weight); out('init_linear_b', l.bias)
out('init_tconv_w', t.weight); out('init_tconv_b', t.bias); out('init_linear2_w', b.weight)
");
        Expected = RunNamed(script.ToString());
    }

    internal Dictionary<string, double[]> Expected { get; }
}

public class NNLayerTests : IClassFixture<NNLayerReference>
{
    private readonly Dictionary<string, double[]> _expected;

    public NNLayerTests(NNLayerReference reference) => _expected = reference.Expected;

    private void Check(string name, Tensor actual, double tol = 1e-5) => AssertClose(_expected[name], actual, tol, tol, name);

    [Fact]
    public void LayersMatchPyTorchWithTheSameWeights()
    {
        using var scope = NewDisposeScope();
        var inputs = new Dictionary<string, Tensor>
        {
            ["x"] = tensor(NNLayerReference.Image, NNLayerReference.ImageShape),
            ["feat"] = tensor(NNLayerReference.Features, new long[] { 5, 6 }),
        };
        var seed = 1;
        foreach (var (name, create, _, input) in NNLayerReference.Cases())
        {
            using var module = create();
            NNLayerReference.Load(module, NNLayerReference.Weights(module, seed++));
            Check(name, module.call(inputs[input]));
            // The same number of state entries as PyTorch's state_dict (parameters + buffers).
            Assert.Equal((int)_expected[name + "_keys_count"][0], module.state_dict().Count);
        }
    }

    [Fact]
    public void BatchNormTrainsRunningStatisticsAndUsesThemInEval()
    {
        using var scope = NewDisposeScope();
        var x = tensor(NNLayerReference.Image, NNLayerReference.ImageShape);
        var x2 = tensor(NNLayerReference.Image2, NNLayerReference.ImageShape);
        foreach (var (tag, bn) in new[] { ("bn", nn.BatchNorm2d(3, momentum: 0.2)), ("bn_cumulative", nn.BatchNorm2d(3, eps: 1e-3, momentum: null)) })
        {
            using (no_grad())
            {
                bn.weight!.copy_(tensor(new[] { 1.5f, 0.5f, -1.0f }));
                bn.bias!.copy_(tensor(new[] { 0.1f, -0.2f, 0.3f }));
            }
            Assert.True(bn.training);
            Check(tag + "_train1", bn.call(x));
            Check(tag + "_train2", bn.call(x2));
            Check(tag + "_mean", bn.running_mean!);
            Check(tag + "_var", bn.running_var!);
            Check(tag + "_count", bn.num_batches_tracked!);
            bn.eval();
            Check(tag + "_eval", bn.call(x));
            Check(tag + "_count", bn.num_batches_tracked!);
            bn.Dispose();
        }
        using var bn1 = nn.BatchNorm1d(6, affine: false);
        var feat = tensor(NNLayerReference.Features, new long[] { 5, 6 });
        Check("bn1d_train", bn1.call(feat));
        Check("bn1d_mean", bn1.running_mean!);
        bn1.eval();
        Check("bn1d_eval", bn1.call(feat));
        Assert.Empty(bn1.parameters());
        using var noStats = nn.BatchNorm2d(3, track_running_stats: false);
        noStats.eval();
        Check("bn_nostats_eval", noStats.call(x));
        Assert.Empty(noStats.buffers());
        var e = Assert.Throws<ArgumentException>(() => noStats.call(feat));
        Assert.Contains("4-D", e.Message);
    }

    [Fact]
    public void DefaultInitialisationReproducesPyTorchUnderTheSameSeed()
    {
        manual_seed(123);
        using var c = nn.Conv2d(3, 4, 3);
        using var l = nn.Linear(6, 4);
        using var t = nn.ConvTranspose2d(3, 2, (3, 2));
        using var b = nn.Linear(5, 2);
        // The same generator, the same draws in the same order: identical values.
        Check("init_conv_w", c.weight, 0);
        Check("init_conv_b", c.bias!, 0);
        Check("init_linear_w", l.weight, 0);
        Check("init_linear_b", l.bias!, 0);
        Check("init_tconv_w", t.weight, 0);
        Check("init_tconv_b", t.bias!, 0);
        Check("init_linear2_w", b.weight, 0);
    }

    [Fact]
    public void ConstructorArgumentsAreChecked()
    {
        Assert.Contains("groups", Assert.Throws<ArgumentException>(() => nn.Conv2d(3, 4, 3, groups: 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Conv2d(0, 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Conv2d(3, 4, 3, stride: 0));
        Assert.Contains("Zeros", Assert.Throws<ArgumentException>(() => nn.ConvTranspose2d(3, 4, 3, padding_mode: PaddingModes.Reflect)).Message);
        Assert.Contains("output_padding", Assert.Throws<ArgumentException>(() => nn.ConvTranspose2d(3, 4, 3, stride: 2, output_padding: 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Linear(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.Dropout(1.2));
        Assert.Throws<ArgumentException>(() => nn.MaxPool2d(2, padding: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => nn.BatchNorm2d(3, momentum: 2));
        Assert.Throws<ArgumentException>(() => nn.Upsample());
    }

    [Fact]
    public void OutputShapes()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 3, 16, 16);
        using var down = nn.Conv2d(3, 8, 4, stride: 2, padding: 1);
        var d = down.call(x);
        Assert.Equal(new long[] { 2, 8, 8, 8 }, d.shape);
        using var up = nn.ConvTranspose2d(8, 3, 4, stride: 2, padding: 1);
        Assert.Equal(new long[] { 2, 3, 16, 16 }, up.call(d).shape);
        using var pool = nn.MaxPool2d(3, 2, ceil_mode: true);
        Assert.Equal(new long[] { 2, 3, 8, 8 }, pool.call(x).shape);
        using var floorPool = nn.MaxPool2d(3, 2);
        Assert.Equal(new long[] { 2, 3, 7, 7 }, floorPool.call(x).shape);
    }
}
