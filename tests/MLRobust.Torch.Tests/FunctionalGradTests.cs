using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.NNTestSupport;
using F = MLRobust.Torch.torch.nn.functional;

namespace MLRobust.Torch.Tests;

/// <summary>Autograd gradients of the functional ops against central finite differences in float64:
/// for L = Σ f(inputs) · r with a fixed random r, ∂L/∂x_j ≈ (L(x + h e_j) - L(x - h e_j)) / 2h.</summary>
public class FunctionalGradTests
{
    private const double H = 1e-6;

    /// <summary>Checks every input's gradient; <paramref name="differentiable"/> marks which inputs
    /// to check (the others, e.g. class indices, are passed through).</summary>
    private static void GradCheck(string name, Func<Tensor[], Tensor> f, (double[] values, long[] shape, bool differentiable)[] inputs,
        double atol = 1e-7, double rtol = 1e-6)
    {
        using var scope = NewDisposeScope();
        var leaves = inputs.Select(i => tensor(i.values, i.shape, requires_grad: i.differentiable)).ToArray();
        var y = f(leaves);
        var r = tensor(DataD(Count(y.shape), 99), y.shape);
        var loss = (y * r).sum();
        var wrt = leaves.Where((_, k) => inputs[k].differentiable).ToArray();
        var analytic = autograd.grad(new[] { loss }, wrt);

        double Loss(int input, int element, double delta)
        {
            using var inner = NewDisposeScope();
            using var _ = no_grad();
            var args = inputs.Select((i, k) =>
            {
                if (k != input) return tensor(i.values, i.shape);
                var v = (double[])i.values.Clone();
                v[element] += delta;
                return tensor(v, i.shape);
            }).ToArray();
            return (f(args) * r).sum().item<double>();
        }

        var g = 0;
        for (var k = 0; k < inputs.Length; k++)
        {
            if (!inputs[k].differentiable) continue;
            var numeric = new double[inputs[k].values.Length];
            for (var j = 0; j < numeric.Length; j++) numeric[j] = (Loss(k, j, H) - Loss(k, j, -H)) / (2 * H);
            AssertClose(numeric, analytic[g++]!, atol, rtol, $"{name}: input {k}");
        }
    }

    private static (double[], long[], bool) In(long[] shape, int seed, double scale = 1, bool differentiable = true)
        => (DataD(Count(shape), seed).Select(v => v * scale).ToArray(), shape, differentiable);

    [Fact]
    public void Conv2d()
    {
        GradCheck("conv2d", a => F.conv2d(a[0], a[1], a[2], new long[] { 2 }, new long[] { 1 }),
            new[] { In(new long[] { 1, 2, 5, 5 }, 1), In(new long[] { 3, 2, 3, 3 }, 2), In(new long[] { 3 }, 3) });
        GradCheck("conv2d groups+dilation", a => F.conv2d(a[0], a[1], null, null, new long[] { 1, 0 }, new long[] { 2 }, groups: 2),
            new[] { In(new long[] { 2, 2, 5, 4 }, 4), In(new long[] { 4, 1, 2, 2 }, 5) });
    }

    [Fact]
    public void ConvTranspose2d()
    {
        GradCheck("conv_transpose2d", a => F.conv_transpose2d(a[0], a[1], a[2], new long[] { 2 }, new long[] { 1 }, new long[] { 1 }),
            new[] { In(new long[] { 1, 2, 3, 3 }, 6), In(new long[] { 2, 3, 3, 3 }, 7), In(new long[] { 3 }, 8) });
        GradCheck("conv_transpose2d groups", a => F.conv_transpose2d(a[0], a[1], null, new long[] { 1, 2 }, null, new long[] { 0, 1 }, 2, new long[] { 2, 1 }),
            new[] { In(new long[] { 1, 4, 3, 3 }, 9), In(new long[] { 4, 1, 2, 2 }, 10) });
    }

    [Fact]
    public void Linear()
        => GradCheck("linear", a => F.linear(a[0], a[1], a[2]),
            new[] { In(new long[] { 3, 4 }, 11), In(new long[] { 2, 4 }, 12), In(new long[] { 2 }, 13) });

    [Fact]
    public void MaxPoolWithCeilMode()
    {
        // ceil_mode: windows that run past the edge still produce outputs (5 → 3 with kernel 2, stride 2).
        GradCheck("max_pool2d ceil", a => F.max_pool2d(a[0], 2, stride: 2, ceil_mode: true), new[] { In(new long[] { 1, 2, 5, 5 }, 14) });
        GradCheck("max_pool2d padded", a => F.max_pool2d(a[0], new long[] { 3, 2 }, new long[] { 2, 1 }, new long[] { 1, 0 }, ceil_mode: true),
            new[] { In(new long[] { 2, 1, 6, 5 }, 15) });
    }

    [Fact]
    public void AvgPool()
    {
        GradCheck("avg_pool2d", a => F.avg_pool2d(a[0], 3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: false),
            new[] { In(new long[] { 1, 2, 6, 6 }, 16) });
        GradCheck("avg_pool2d include pad", a => F.avg_pool2d(a[0], new long[] { 2, 3 }, new long[] { 2, 2 }, new long[] { 1, 1 }, ceil_mode: true),
            new[] { In(new long[] { 1, 1, 5, 5 }, 17) });
    }

    [Fact]
    public void LocalResponseNorm()
    {
        GradCheck("local_response_norm", a => F.local_response_norm(a[0], 3, alpha: 0.8, beta: 0.75, k: 1.5), new[] { In(new long[] { 2, 4, 3, 3 }, 18) });
        GradCheck("local_response_norm even", a => F.local_response_norm(a[0], 2, alpha: 0.5, beta: 0.6, k: 1.0), new[] { In(new long[] { 1, 3, 2, 2 }, 19, 2) });
    }

    [Fact]
    public void CrossEntropy()
    {
        var classes = new double[] { 1, 0, 4, 2 };
        var weights = new double[] { 0.5, 1, 2, 0.25, 1.5 };
        GradCheck("cross_entropy", a => F.cross_entropy(a[0], a[1].to_type(ScalarType.Int64), a[2], label_smoothing: 0.1),
            new[] { In(new long[] { 4, 5 }, 20, 2), (classes, new long[] { 4 }, false), (weights, new long[] { 5 }, false) });
        GradCheck("cross_entropy sum ignore", a => F.cross_entropy(a[0], a[1].to_type(ScalarType.Int64), ignore_index: 4, reduction: nn.Reduction.Sum),
            new[] { In(new long[] { 4, 5 }, 21, 2), (classes, new long[] { 4 }, false) });
    }

    [Fact]
    public void MseLoss()
        => GradCheck("mse_loss", a => F.mse_loss(a[0], a[1]), new[] { In(new long[] { 3, 4 }, 22), In(new long[] { 3, 4 }, 23) });

    [Fact]
    public void BinaryCrossEntropy()
    {
        var probabilities = DataD(12, 24).Select(v => 0.5 + 0.4 * v).ToArray();
        var softTargets = DataD(12, 25).Select(v => (v + 1) / 2).ToArray();
        GradCheck("binary_cross_entropy", a => F.binary_cross_entropy(a[0], a[1], a[2]),
            new[] { (probabilities, new long[] { 3, 4 }, true), (softTargets, new long[] { 3, 4 }, false), In(new long[] { 3, 4 }, 26, 1, false) });
        GradCheck("binary_cross_entropy_with_logits", a => F.binary_cross_entropy_with_logits(a[0], a[1], a[2], nn.Reduction.Sum, a[3]),
            new[] { In(new long[] { 3, 4 }, 27, 3), (softTargets, new long[] { 3, 4 }, true), In(new long[] { 3, 4 }, 28, 1, false), (new double[] { 0.5, 2, 1, 3 }, new long[] { 4 }, false) });
    }

    [Fact]
    public void BilinearInterpolation()
        => GradCheck("interpolate bilinear", a => F.interpolate(a[0], new long[] { 5, 7 }, mode: InterpolationMode.Bilinear),
            new[] { In(new long[] { 1, 2, 3, 4 }, 29) });
}
