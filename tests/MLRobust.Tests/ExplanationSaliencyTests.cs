using MLRobust.Attacks;
using MLRobust.Explanations;
using TorchSharp;
using Xunit.Abstractions;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Gradient saliency: the gradient of a linear model is its weight row, the gradient of a small conv net equals
/// central finite differences and PyTorch's autograd, integrated gradients are complete with a Riemann error that shrinks
/// with the steps, and SmoothGrad is seeded per image.</summary>
public class ExplanationSaliencyTests
{
    private readonly ITestOutputHelper _output;

    public ExplanationSaliencyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void GradientOfALinearModelIsItsWeightRow()
    {
        var weights = new float[3, 2 * 4 * 4];
        var rng = new Random(1);
        for (var k = 0; k < 3; k++)
            for (var d = 0; d < 32; d++) weights[k, d] = (float)(rng.NextDouble() * 2 - 1);
        using var module = Linear(weights, new float[] { 0.1f, -0.2f, 0.3f });
        var model = AttackTarget.FromLogits(module, 3);
        using var x = AttackTestSupport.Images(4, 2, 4, 4, seed: 2);
        using var classes = tensor(new long[] { 0, 1, 2, 1 });
        foreach (var method in new[] { SaliencyMethod.Gradient, SaliencyMethod.SmoothGrad })
        {
            var explanation = new Saliency(model, new SaliencyOptions { Method = method, BatchSize = 7 }).Explain(x, classes);
            for (var i = 0; i < 4; i++)
            {
                var row = Enumerable.Range(0, 32).Select(d => weights[classes[i].item<long>(), d]).ToArray();
                Close(row, explanation.Attributions[i], 1e-5, $"{method} image {i}");
                // heat map: the sum over the 2 channels
                Close(Enumerable.Range(0, 16).Select(p => row[p] + row[16 + p]).ToArray(), explanation.HeatMaps[i], 1e-5, $"{method} heat map {i}");
            }
        }
        var absMax = new Saliency(model, new SaliencyOptions { ChannelReduction = SaliencyChannelReduction.AbsMax }).Explain(x, classes);
        Assert.Equal(Math.Max(Math.Abs(weights[0, 5]), Math.Abs(weights[0, 21])), absMax.HeatMaps[0][5], 5);
    }

    [Fact]
    public void GradientMatchesFiniteDifferencesAndTorch()
    {
        using var module = ExplanationLimeTests.SmallCnnManaged(10, 4);
        module.to(ScalarType.Float64);
        var model = AttackTarget.FromLogits(module, 4);
        using var x = AttackTestSupport.Images(2, 1, 10, 10, seed: 3).to_type(ScalarType.Float64);
        foreach (var output in new[] { ExplainedOutput.Evidence, ExplainedOutput.Probability })
        {
            var explanation = new Saliency(model, new SaliencyOptions { Output = output }).Explain(x);
            for (var i = 0; i < 2; i++)
            {
                var cls = explanation.Classes[i];
                double F(Tensor image)
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    var y = model.Evidence(model.Forward(image));
                    if (output == ExplainedOutput.Probability) y = y.softmax(1);
                    return y[0, cls].item<double>();
                }
                foreach (var d in new[] { 0, 17, 55, 99 })
                {
                    using var plus = x.narrow(0, i, 1).clone();
                    using var minus = x.narrow(0, i, 1).clone();
                    const double h = 1e-6;
                    plus.view(-1)[d] += h;
                    minus.view(-1)[d] -= h;
                    var numeric = (F(plus) - F(minus)) / (2 * h);
                    Assert.True(Math.Abs(numeric - explanation.Attributions[i][d]) < 1e-5 * Math.Max(1, Math.Abs(numeric)),
                        $"{output}, image {i}, input {d}: finite difference {numeric}, gradient {explanation.Attributions[i][d]}");
                }
            }
        }

        // PyTorch's autograd on the same weights
        using var dir = new TempDir();
        var tensors = new Dictionary<string, Tensor>(module.state_dict()) { ["x"] = x };
        MLRobust.Serialization.SafeTensors.Save(tensors, dir.File("in.safetensors"));
        var reference = Run($$"""
d = load({{Py(dir.File("in.safetensors"))}})
model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.Tanh(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 16, 4)).double()
model[0].weight.data = d['conv.weight']; model[0].bias.data = d['conv.bias']; model[4].weight.data = d['fc.weight']; model[4].bias.data = d['fc.bias']
x = d['x'].requires_grad_(True)
logits = model(x)
cls = logits.argmax(1)
g, = torch.autograd.grad(logits.gather(1, cls[:, None]).sum(), x)
print(' '.join(repr(float(v)) for v in g.flatten()))
""");
        var expected = reference.Trim().Split(' ').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var ours = new Saliency(model).Explain(x);
        Close(expected, ours.Attributions.SelectMany(a => a).ToArray(), 1e-6, "gradient against torch.autograd");
    }

    [Fact]
    public void IntegratedGradientsAreComplete()
    {
        using var module = ExplanationLimeTests.SmallCnnManaged(12, 3, seed: 5);
        module.to(ScalarType.Float64);
        var model = AttackTarget.FromLogits(module, 3);
        using var x = AttackTestSupport.Images(3, 1, 12, 12, seed: 6).to_type(ScalarType.Float64);
        var errors = new List<double>();
        foreach (var steps in new[] { 4, 16, 64, 256 })
        {
            var ig = new Saliency(model, new SaliencyOptions { Method = SaliencyMethod.IntegratedGradients, Steps = steps, BatchSize = 100 }).Explain(x);
            var worst = 0.0;
            var change = 0.0;
            for (var i = 0; i < 3; i++)
            {
                var sum = ig.Attributions[i].Sum(v => (double)v);
                var difference = ig.Outputs[i] - ig.BaselineOutputs[i];
                worst = Math.Max(worst, Math.Abs(sum - difference));
                change = Math.Max(change, Math.Abs(difference));
                // single channel, sum reduction: the heat map adds up to the same
                Assert.Equal(sum, ig.HeatMaps[i].Sum(v => (double)v), 4);
            }
            errors.Add(worst);
            _output.WriteLine($"IG steps {steps}: largest |Σ attributions − (f(x) − f(0))| = {worst:E3} (|f(x) − f(0)| up to {change:F3})");
        }
        for (var k = 1; k < errors.Count; k++) Assert.True(errors[k] < errors[k - 1], $"error did not shrink: {string.Join(", ", errors)}");
        Assert.True(errors[^1] < 1e-5, $"completeness error {errors[^1]}");

        // a given baseline value: f(baseline) is the model's output on the constant image
        var grey = new Saliency(model, new SaliencyOptions { Method = SaliencyMethod.IntegratedGradients, BaselineValue = 0.5f, Steps = 128 }).Explain(x);
        using var half = full_like(x, 0.5);
        using (no_grad())
        using (var outputs = model.Forward(half))
            Assert.Equal(outputs[0, grey.Classes[0]].item<double>(), grey.BaselineOutputs[0], 9);
        Assert.True(Math.Abs(grey.Attributions[0].Sum(v => (double)v) - (grey.Outputs[0] - grey.BaselineOutputs[0])) < 1e-3);
    }

    [Fact]
    public void SmoothGradIsSeededPerImage()
    {
        using var module = Mlp(36, 12, 3, seed: 8);
        var model = AttackTarget.FromLogits(module, 3);
        using var x = AttackTestSupport.Images(3, 1, 6, 6, seed: 9);
        var options = new SaliencyOptions { Method = SaliencyMethod.SmoothGrad, BatchSize = 10, Seed = 4 };
        var all = new Saliency(model, options).Explain(x);
        using var last = x.narrow(0, 2, 1);
        var alone = new Saliency(model, options).Explain(last, sampleIds: new long[] { 2 });
        Assert.Equal(all.Attributions[2], alone.Attributions[0]);
        var gradient = new Saliency(model).Explain(x);
        Assert.NotEqual(gradient.Attributions[0], all.Attributions[0]);
        var other = new Saliency(model, new SaliencyOptions { Method = SaliencyMethod.SmoothGrad, Seed = 5 }).Explain(x);
        Assert.NotEqual(other.Attributions[0], all.Attributions[0]);
        Assert.All(new Saliency(model, new SaliencyOptions { Absolute = true }).Explain(x).HeatMaps.SelectMany(m => m), v => Assert.True(v >= 0));
    }
}
