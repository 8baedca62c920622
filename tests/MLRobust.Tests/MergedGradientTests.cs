using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The merged network's input gradient against central finite differences (float64, tiny widths, S = 24).</summary>
[Collection(SeededTorchCollection.Name)]
public class MergedGradientTests
{
    [Fact]
    public void InputGradient_ThroughAllThreeStages_MatchesCentralDifferences()
    {
        manual_seed(11);
        using var scope = NewDisposeScope();
        using var net = new TripleStagedNetwork(2, 2, inputSize: 24, estimatorWidths: new AlexNetSmallWidths(4, 4, 4, 4, 4, 8),
            projectorWidths: new ProjectorWidths(8, 8, 8, 8, 4, 4, 4), comparatorWidths: new ComparatorWidths(10, 8, 8, 8),
            referenceInitialisation: false).to(ScalarType.Float64);
        net.eval();
        // Put the pose estimates inside (0, 1), away from the clipping kinks, so the function is smooth where it is probed.
        using (no_grad())
        {
            var fc8 = net.named_parameters().Single(p => p.name.EndsWith("fc8.bias", StringComparison.Ordinal)).parameter;
            fc8.fill_(0.5);
        }
        var images = rand(new long[] { 2, 1, 24, 24 }, ScalarType.Float64).requires_grad_();
        var weights = tensor(new double[] { 0.7, -1.3, 0.4, 1.1 }, new long[] { 2, 2 });
        Func<Tensor, double> objective = x => (net.call(x) * weights).sum().ToDouble();

        var gradient = autograd.grad(new[] { (net.call(images) * weights).sum() }, new[] { images })[0]!;
        var g = gradient.data<double>().ToArray();
        var x0 = images.detach().clone();
        var values = x0.data<double>().ToArray();
        Assert.True(g.Select(Math.Abs).Max() > 1e-6, "the gradient reaches the input");

        // The pose estimates and the projections depend on the input too: the finite differences below check the sum of
        // every path, the query channel of the comparator and the estimate → project route alike.
        var run = net.Run(images);
        foreach (var (name, value) in new[] { ("pose", run.Parameters), ("projection", run.ProjectedImages) })
        {
            var path = autograd.grad(new[] { value.sum() }, new[] { images }, retain_graph: true)[0]!;
            Assert.True(path.abs().max().ToDouble() > 1e-9, $"the {name} depends on the input");
        }

        // Probe pixels spread over both images, including ones inside and outside the projected objects.
        var rng = new Random(3);
        var probes = Enumerable.Range(0, 24).Select(_ => rng.Next(values.Length)).Distinct().ToArray();
        const double h = 1e-5;
        var shape = x0.shape;
        foreach (var i in probes)
        {
            var plus = (double[])values.Clone();
            var minus = (double[])values.Clone();
            plus[i] += h;
            minus[i] -= h;
            var fd = (objective(tensor(plus, shape)) - objective(tensor(minus, shape))) / (2 * h);
            Assert.True(Math.Abs(fd - g[i]) <= 1e-6 + 1e-4 * Math.Abs(fd), $"pixel {i}: autograd {g[i]:R}, finite difference {fd:R}");
        }
    }
}
