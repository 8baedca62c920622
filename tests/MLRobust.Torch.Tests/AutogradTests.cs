using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Tests;

/// <summary>Gradients against hand-derived formulas and finite differences computed in .NET
/// arithmetic; graph retention, accumulation, grad mode and detach semantics as in PyTorch.</summary>
public class AutogradTests
{
    private static void Near(double[] expected, Tensor actual, double tolerance = 1e-6)
    {
        using var d = actual.to(ScalarType.Float64);
        var values = d.data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(expected[i] - values[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {values[i]}");
    }

    [Fact]
    public void BackwardWithAGradientTensor()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 2f, 3f }, requires_grad: true);
        var y = x * x;
        y.backward(tensor(new[] { 0.1f, 1f, -2f }));
        Near(new[] { 0.2, 4, -12 }, x.grad!);   // dy/dx = 2x, weighted by the gradient
    }

    [Fact]
    public void BackwardOfANonScalarNeedsAGradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 2f }, requires_grad: true);
        var e = Assert.Throws<TorchException>(() => (x * 2).backward());
        Assert.Contains("scalar outputs", e.Message);
    }

    [Fact]
    public void RetainGraphAllowsASecondBackwardThatAccumulates()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, -2.0 }, requires_grad: true);
        var y = x.pow(3).sum();
        y.backward(retain_graph: true);
        Near(new[] { 3.0, 12.0 }, x.grad!);      // 3x^2
        y.backward();
        Near(new[] { 6.0, 24.0 }, x.grad!);      // accumulated twice
        var e = Assert.Throws<TorchException>(() => y.backward());
        Assert.Contains("backward through the graph a second time", e.Message);
    }

    [Fact]
    public void GradientsAccumulateAcrossGraphsUntilCleared()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.5, 3.0 }, requires_grad: true);
        (2 * x).sum().backward();
        (x * x).sum().backward();
        Near(new[] { 2 + 2 * 0.5, 2 + 2 * 3.0 }, x.grad!);
        x.grad!.zero_();
        Near(new[] { 0.0, 0.0 }, x.grad!);
        x.grad = null;
        Assert.Null(x.grad);
        (3 * x).sum().backward();
        Near(new[] { 3.0, 3.0 }, x.grad!);
    }

    [Fact]
    public void AutogradGradWithRespectToAnInputLeavesParameterGradsUntouched()
    {
        using var scope = NewDisposeScope();
        var w = tensor(new[] { 0.5f, -1f }, requires_grad: true);   // a "parameter"
        var x = tensor(new[] { 3f, 4f }, requires_grad: true);      // an input being attacked
        var loss = (w * x * x).sum();
        var g = autograd.grad(new[] { loss }, new[] { x })[0]!;
        Near(new[] { 2 * 0.5 * 3, 2 * -1.0 * 4 }, g);               // 2 w x
        Assert.Null(w.grad);
        Assert.Null(x.grad);
        Assert.False(g.requires_grad);
    }

    [Fact]
    public void AutogradGradWithGradOutputs()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 2f }, requires_grad: true);
        var y = x * 3;
        var g = autograd.grad(new[] { y }, new[] { x }, new[] { tensor(new[] { 2f, -1f }) })[0]!;
        Near(new[] { 6.0, -3.0 }, g);
    }

    [Fact]
    public void UnusedInputsGiveNullOnlyWhenAllowed()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f }, requires_grad: true);
        var unused = tensor(new[] { 1f }, requires_grad: true);
        var y = (x * 2).sum();
        var e = Assert.Throws<TorchException>(() => autograd.grad(new[] { y }, new[] { x, unused }, retain_graph: true));
        Assert.Contains("not have been used in the graph", e.Message);
        var grads = autograd.grad(new[] { y }, new[] { x, unused }, allow_unused: true);
        Near(new[] { 2.0 }, grads[0]!);
        Assert.Null(grads[1]);
    }

    [Fact]
    public void CreateGraphGivesSecondDerivatives()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1.0, 2.0, -1.5 }, requires_grad: true);
        var first = autograd.grad(new[] { x.pow(3).sum() }, new[] { x }, create_graph: true)[0]!;
        Assert.True(first.requires_grad);
        Near(new[] { 3.0, 12.0, 6.75 }, first);                      // 3x^2
        var second = autograd.grad(new[] { first.sum() }, new[] { x })[0]!;
        Near(new[] { 6.0, 12.0, -9.0 }, second);                     // 6x
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        static double F(double v) => Math.Sin(v) * Math.Exp(v) / (1 + v * v);
        var points = new[] { -1.3, -0.2, 0.0, 0.7, 2.1 };
        using var scope = NewDisposeScope();
        var x = tensor(points, requires_grad: true);
        var y = (x.sin() * x.exp() / (x * x + 1)).sum();
        var g = autograd.grad(new[] { y }, new[] { x })[0]!;
        const double h = 1e-6;
        Near(points.Select(v => (F(v + h) - F(v - h)) / (2 * h)).ToArray(), g, 1e-6);
    }

    [Fact]
    public void BroadcastAndMatmulGradientsReduceOverTheBroadcastDimensions()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new long[] { 2, 3 }, requires_grad: true);
        var b = tensor(new[] { 0.5f, -1f, 2f }, requires_grad: true);
        (a * b).sum().backward();
        Near(new[] { 5.0, 7.0, 9.0 }, b.grad!);                                // column sums of a
        Near(new[] { 0.5, -1, 2, 0.5, -1, 2 }, a.grad!);                       // b on every row

        var m = tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new long[] { 3, 2 });
        var p = tensor(new[] { 1f, 0f, -1f, 2f, 1f, 1f }, new long[] { 2, 3 }, requires_grad: true);
        p.matmul(m).sum().backward();
        Near(new[] { 3.0, 7, 11, 3, 7, 11 }, p.grad!);                         // row sums of m, per row of p
    }

    [Fact]
    public void NoGradAndEnableGradNestAndRestore()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f }, requires_grad: true);
        Assert.True(is_grad_enabled());
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            Assert.False((x * 2).requires_grad);
            using (enable_grad())
            {
                Assert.True(is_grad_enabled());
                Assert.True((x * 2).requires_grad);
                using (no_grad())
                    Assert.False((x * 2).requires_grad);
                Assert.True(is_grad_enabled());
            }
            Assert.False(is_grad_enabled());
        }
        Assert.True(is_grad_enabled());
        Assert.True((x * 2).requires_grad);
    }

    [Fact]
    public void GradModeGuardRestoresOnlyOnce()
    {
        var guard = no_grad();
        guard.Dispose();
        using (no_grad())
        {
            guard.Dispose(); // a second Dispose must not re-enable grad inside the new no_grad
            Assert.False(is_grad_enabled());
        }
        Assert.True(is_grad_enabled());
    }

    [Fact]
    public void GradModeIsPerThread()
    {
        using (no_grad())
        {
            var other = true;
            var thread = new Thread(() => other = is_grad_enabled());
            thread.Start();
            thread.Join();
            Assert.True(other);
            Assert.False(is_grad_enabled());
        }
    }

    [Fact]
    public void IntegerTensorsCannotRequireGrad()
    {
        using var scope = NewDisposeScope();
        var i = tensor(new long[] { 1, 2 });
        var e = Assert.Throws<TorchException>(() => i.requires_grad = true);
        Assert.Contains("floating point", e.Message);
        Assert.Throws<TorchException>(() => zeros(new long[] { 2 }, ScalarType.Int32, requires_grad: true));
        Assert.Throws<TorchException>(() => arange(3, ScalarType.Int64).requires_grad_());
    }

    /// <summary>torch.tensor([1, 2], requires_grad=True) raises in PyTorch; silently dropping the
    /// request would leave a model without gradients.</summary>
    [Fact]
    public void IntegerTensorFromDataCannotRequireGrad()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<TorchException>(() => tensor(new long[] { 1, 2 }, requires_grad: true));
        Assert.Contains("floating point", e.Message);
    }

    [Fact]
    public void DetachCutsTheGraphButSharesStorage()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, 2f }, requires_grad: true);
        var d = x.detach();
        Assert.False(d.requires_grad);
        Assert.True(d.is_leaf);
        using (no_grad()) d.add_(10);             // writes x's storage
        Assert.Equal(new[] { 11f, 12f }, x.data<float>().ToArray());
        (x * 3 + d * x.detach()).sum().backward();
        Near(new[] { 3.0, 3.0 }, x.grad!);        // nothing flows through the detached terms
    }

    [Fact]
    public void RetainGradKeepsANonLeafGradient()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 1f, -2f }, requires_grad: true);
        var h = x * 2;
        Assert.True(x.is_leaf);
        Assert.False(h.is_leaf);
        h.retain_grad();
        (h * h).sum().backward();
        Near(new[] { 4.0, -8.0 }, h.grad!);       // 2h
        Near(new[] { 8.0, -16.0 }, x.grad!);      // 2h * 2
    }
}
