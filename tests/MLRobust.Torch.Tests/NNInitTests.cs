using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.NNTestSupport;
using init = MLRobust.Torch.torch.nn.init;

namespace MLRobust.Torch.Tests;

/// <summary>nn.init against torch.nn.init: with the same seed the same generator draws the same
/// numbers, so any difference in gain or fan computation shows up as different values.</summary>
public class NNInitTests
{
    [Fact]
    public void InitialisersMatchPyTorchUnderTheSameSeed()
    {
        var expected = RunNamed(@"
import torch.nn.init as init
def run(name, shape, f):
    torch.manual_seed(11)
    t = torch.empty(shape)
    f(t)
    out(name, t)
run('kaiming_uniform', (8, 4, 3, 3), lambda t: init.kaiming_uniform_(t))
run('kaiming_uniform_a', (8, 4, 3, 3), lambda t: init.kaiming_uniform_(t, a=0.1, mode='fan_out'))
run('kaiming_normal_relu', (6, 5, 2, 2), lambda t: init.kaiming_normal_(t, mode='fan_out', nonlinearity='relu'))
run('kaiming_normal_tanh', (7, 3), lambda t: init.kaiming_normal_(t, nonlinearity='tanh'))
run('xavier_uniform', (5, 9), lambda t: init.xavier_uniform_(t, gain=2.0))
run('xavier_normal', (3, 4, 5), lambda t: init.xavier_normal_(t, gain=0.5))
run('normal', (20,), lambda t: init.normal_(t, 1.5, 0.25))
run('uniform', (20,), lambda t: init.uniform_(t, -2, 3))
run('constant', (4,), lambda t: init.constant_(t, 2.5))
run('zeros', (4,), lambda t: init.zeros_(t))
run('ones', (4,), lambda t: init.ones_(t))
out('gains', [init.calculate_gain(n) for n in ['linear', 'conv2d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu']] + [init.calculate_gain('leaky_relu', 0.2)])
");
        void Run(string name, long[] shape, Action<Tensor> fill)
        {
            manual_seed(11);
            using var t = empty(shape);
            fill(t);
            AssertClose(expected[name], t, 0, 0, name);
        }

        Run("kaiming_uniform", new long[] { 8, 4, 3, 3 }, t => init.kaiming_uniform_(t));
        Run("kaiming_uniform_a", new long[] { 8, 4, 3, 3 }, t => init.kaiming_uniform_(t, a: 0.1, mode: init.FanInOut.FanOut));
        Run("kaiming_normal_relu", new long[] { 6, 5, 2, 2 }, t => init.kaiming_normal_(t, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU));
        Run("kaiming_normal_tanh", new long[] { 7, 3 }, t => init.kaiming_normal_(t, nonlinearity: init.NonlinearityType.Tanh));
        Run("xavier_uniform", new long[] { 5, 9 }, t => init.xavier_uniform_(t, gain: 2.0));
        Run("xavier_normal", new long[] { 3, 4, 5 }, t => init.xavier_normal_(t, gain: 0.5));
        Run("normal", new long[] { 20 }, t => init.normal_(t, 1.5, 0.25));
        Run("uniform", new long[] { 20 }, t => init.uniform_(t, -2, 3));
        Run("constant", new long[] { 4 }, t => init.constant_(t, 2.5));
        Run("zeros", new long[] { 4 }, t => init.zeros_(t));
        Run("ones", new long[] { 4 }, t => init.ones_(t));

        var gains = new[]
        {
            init.calculate_gain(init.NonlinearityType.Linear), init.calculate_gain(init.NonlinearityType.Conv2D),
            init.calculate_gain(init.NonlinearityType.Sigmoid), init.calculate_gain(init.NonlinearityType.Tanh),
            init.calculate_gain(init.NonlinearityType.ReLU), init.calculate_gain(init.NonlinearityType.LeakyReLU),
            init.calculate_gain(init.NonlinearityType.SELU), init.calculate_gain(init.NonlinearityType.LeakyReLU, 0.2),
        };
        AssertClose(expected["gains"], gains, 1e-15, 0, "gains");
    }

    [Fact]
    public void InitialisersWorkOnParametersThatRequireGradAndReturnThem()
    {
        using var linear = nn.Linear(4, 3);
        var returned = init.xavier_normal_(linear.weight);
        Assert.Same(linear.weight, returned);
        Assert.True(linear.weight.requires_grad);
        Assert.True(linear.weight.is_leaf);
        init.zeros_(linear.bias!);
        Assert.Equal(new[] { 0f, 0f, 0f }, linear.bias!.data<float>().ToArray());
    }

    [Fact]
    public void FanComputationNeedsTwoDimensions()
    {
        using var v = ones(5);
        var e = Assert.Throws<ArgumentException>(() => init.kaiming_uniform_(v));
        Assert.Contains("fewer than 2 dimensions", e.Message);
        using var w = ones(6, 4, 3, 2);
        Assert.Equal((4L * 6, 6L * 6), init.calculate_fan_in_and_fan_out(w));
    }

    [Fact]
    public void KaimingUniformBoundAndSpreadAreAsDerived()
    {
        // fan_in = 16·3·3 = 144; ReLU gain √2 → bound = √2·√3/12; a uniform's sd is bound/√3.
        manual_seed(0);
        using var t = empty(64, 16, 3, 3);
        init.kaiming_uniform_(t, nonlinearity: init.NonlinearityType.ReLU);
        var bound = Math.Sqrt(2) * Math.Sqrt(3) / 12;
        var values = t.data<float>().ToArray();
        Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, bound + 1e-7));
        Assert.True(values.Max() > bound * 0.99 && values.Min() < -bound * 0.99);
        using var sd = t.std();
        Assert.Equal(bound / Math.Sqrt(3), sd.item<float>(), 2);
    }
}
