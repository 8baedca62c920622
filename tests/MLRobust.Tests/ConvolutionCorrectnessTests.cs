using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>float32 convolutions, forward and both gradients, as MLRobust runs them (after <see cref="OneDnnGuard"/> has
/// decided about oneDNN), against float64 references, over the channel counts and batch sizes where libtorch 2.10's oneDNN
/// went wrong on a machine that reports no CPU cache sizes.</summary>
public class ConvolutionCorrectnessTests
{
    [Fact]
    public void GuardTurnsOneDnnOffExactlyWhenTheCpuReportsNoCacheSizes()
    {
        var setting = Environment.GetEnvironmentVariable(OneDnnGuard.Variable);
        Assert.False(string.IsNullOrEmpty(OneDnnGuard.Status));
        if (setting is null && OperatingSystem.IsLinux())
            Assert.Equal(OneDnnGuard.CpuReportsCacheSizes(), OneDnnGuard.Enabled);
    }

    [Theory]
    [InlineData(1, 4, 12, 0, 8)]
    [InlineData(3, 4, 12, 0, 8)]
    [InlineData(4, 16, 24, 0, 8)]
    [InlineData(8, 8, 5, 1, 8)]
    [InlineData(9, 16, 12, 0, 8)]
    [InlineData(24, 64, 12, 0, 8)]
    [InlineData(16, 64, 31, 1, 8)]
    public void Conv2dForwardAndGradientsMatchFloat64(int inChannels, int outChannels, int size, int padding, int batch)
    {
        _ = OneDnnGuard.Status;
        using var scope = NewDisposeScope();
        manual_seed(inChannels * 1000 + outChannels);
        var conv = nn.Conv2d(inChannels, outChannels, 3, padding: padding);
        var x = rand(batch, inChannels, size, size).requires_grad_(true);
        var y = conv.call(x);
        var upstream = rand(y.shape);
        var grads = autograd.grad(new[] { y }, new[] { x, conv.weight! }, new[] { upstream });

        var x64 = x.detach().to_type(ScalarType.Float64).requires_grad_(true);
        var w64 = conv.weight!.detach().to_type(ScalarType.Float64).requires_grad_(true);
        var y64 = nn.functional.conv2d(x64, w64, conv.bias!.detach().to_type(ScalarType.Float64), padding: new long[] { padding, padding });
        var grads64 = autograd.grad(new[] { y64 }, new[] { x64, w64 }, new[] { upstream.to_type(ScalarType.Float64) });

        double Error(Tensor a, Tensor b) => ((a.to_type(ScalarType.Float64) - b).abs().max() / (b.abs().max() + 1e-12)).ToDouble();
        Assert.True(Error(y, y64) < 1e-5, $"forward: relative error {Error(y, y64)}");
        Assert.True(Error(grads[0], grads64[0]) < 1e-5, $"input gradient: relative error {Error(grads[0], grads64[0])}");
        Assert.True(Error(grads[1], grads64[1]) < 1e-5, $"weight gradient: relative error {Error(grads[1], grads64[1])}");
    }
}
