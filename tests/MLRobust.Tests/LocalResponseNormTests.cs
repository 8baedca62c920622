using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The hand-fused local response normalisation against torch's own module (pad and 3-D average pool, autograd op by
/// op) and against central differences.</summary>
[Collection(SeededTorchCollection.Name)]
public class LocalResponseNormTests
{
    public static TheoryData<long, long, double, double, double> Settings => new()
    {
        { 5, 16, 1e-4, 0.75, 1.0 },   // AlexNet's
        { 5, 3, 1e-4, 0.75, 1.0 },    // fewer channels than the window
        { 4, 7, 0.5, 0.6, 2.0 },      // even window (padded 2 before, 1 after), large α: the sum matters
        { 1, 6, 0.3, 1.5, 1.0 },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void ForwardAndGradient_MatchTorchsModule(long size, long channels, double alpha, double beta, double k)
    {
        manual_seed(21);
        using var scope = NewDisposeScope();
        using var ours = new LocalResponseNorm(size, alpha, beta, k);
        using var reference = nn.LocalResponseNorm(size, alpha, beta, k);
        var x = (randn(3, channels, 5, 4, ScalarType.Float64) * 2).requires_grad_(true);
        var upstream = randn(3, channels, 5, 4, ScalarType.Float64);

        var expected = reference.call(x);
        var actual = ours.call(x);
        Assert.True(actual.allclose(expected, 1e-10, 1e-12), $"forward differs by {(actual - expected).abs().max().ToDouble():E2}");
        var expectedGradient = autograd.grad(new[] { (expected * upstream).sum() }, new[] { x })[0]!;
        // Twice through one graph (retain_graph, as DeepFool and JSMA do): the saved tensors survive the first pass.
        var loss = (actual * upstream).sum();
        var first = autograd.grad(new[] { loss }, new[] { x }, retain_graph: true)[0]!;
        var second = autograd.grad(new[] { loss }, new[] { x })[0]!;
        Assert.True(first.allclose(expectedGradient, 1e-9, 1e-11), $"gradient differs by {(first - expectedGradient).abs().max().ToDouble():E2}");
        Assert.True(second.allclose(first, 0, 0));

        using (no_grad())
            Assert.True(ours.call(x).allclose(expected, 1e-10, 1e-12));
    }

    [Fact]
    public void Gradient_MatchesCentralDifferences()
    {
        manual_seed(22);
        using var scope = NewDisposeScope();
        using var norm = new LocalResponseNorm(3, 0.8, 0.75, 1.0);
        var x = randn(1, 4, 2, 2, ScalarType.Float64).requires_grad_(true);
        var upstream = randn(1, 4, 2, 2, ScalarType.Float64);
        var gradient = autograd.grad(new[] { (norm.call(x) * upstream).sum() }, new[] { x })[0]!.flatten();
        var flat = x.detach().flatten();
        const double h = 1e-6;
        using var noGrad = no_grad();
        for (var i = 0; i < flat.size(0); i++)
        {
            var plus = flat.clone();
            plus[i] = plus[i] + h;
            var minus = flat.clone();
            minus[i] = minus[i] - h;
            var difference = ((norm.call(plus.view(x.shape)) - norm.call(minus.view(x.shape))) * upstream).sum().ToDouble() / (2 * h);
            Assert.Equal(difference, gradient[i].ToDouble(), 6);
        }
    }

    [Fact]
    public void TrainingLoop_LeavesNoTensorsBehind_AndRejectsOtherShapes()
    {
        manual_seed(23);
        using var norm = new LocalResponseNorm(5);
        using var weight = randn(16, 1, 3, 3).requires_grad_(true);
        using var images = rand(4, 1, 12, 12);
        void Step()
        {
            using var scope = NewDisposeScope();
            norm.call(nn.functional.conv2d(images, weight)).square().sum().backward();
        }
        Step();
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 30; i++) Step();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.True(weight.grad is { } g && g.abs().sum().ToDouble() > 0);

        using var flat = rand(2, 16);
        Assert.Contains("[N, C, H, W]", Assert.Throws<ArgumentException>(() => norm.call(flat)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalResponseNorm(0));
    }
}
