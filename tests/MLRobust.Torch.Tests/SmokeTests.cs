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

public class PythonReferenceSmokeTests
{
    [Fact]
    public void MatmulMatchesPyTorch()
    {
        var a = new float[] { 0.5f, -1.25f, 2f, 3.5f, 0.75f, -0.125f };
        var b = new float[] { 1.5f, -2f, 0.25f, 4f, -0.5f, 1f };
        var expected = PythonReference.Numbers($@"
import torch
a = torch.tensor({PythonReference.List(a)}).reshape(2, 3)
b = torch.tensor({PythonReference.List(b)}).reshape(3, 2)
print(' '.join(repr(v) for v in (a @ b).flatten().tolist()))
");
        using var ta = torch.tensor(a, new long[] { 2, 3 });
        using var tb = torch.tensor(b, new long[] { 3, 2 });
        using var c = ta.matmul(tb);
        var actual = c.data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < actual.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }
}
