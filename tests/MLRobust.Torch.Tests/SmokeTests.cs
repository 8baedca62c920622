using MLRobust.Torch;
using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Tests;

public class SmokeTests
{
    [Fact]
    public void AddsAndReadsBack()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, new long[] { 2, 2 });
        using var b = ones(2, 2);
        using var c = a + b * 2;
        Assert.Equal(new long[] { 2, 2 }, c.shape);
        Assert.Equal(new float[] { 3, 4, 5, 6 }, c.data<float>().ToArray());
        using var s = c.sum();
        Assert.Equal(18f, s.item<float>());
    }

    [Fact]
    public void ShapeMismatchThrowsManaged()
    {
        using var a = ones(2, 3);
        using var b = ones(4, 5);
        var e = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("aten::matmul", e.Message);
    }

    [Fact]
    public void GradientOfSquare()
    {
        using var x = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        using var y = (x * x).sum();
        var g = autograd.grad(new[] { y }, new[] { x })[0]!;
        Assert.Equal(new float[] { 2, 4, 6 }, g.data<float>().ToArray());
        Assert.Null(x.grad);
    }
}
