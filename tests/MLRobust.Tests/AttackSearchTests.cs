using MLRobust.Attacks;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>JSMA and the one-pixel attack on a model with more than 10 classes.</summary>
public class AttackSearchTests
{
    private const int Classes = 12;

    [Fact]
    public void JsmaReachesTheNextClassOfTwelve()
    {
        using var scope = NewDisposeScope();
        var model = Mlp(64, 32, Classes, seed: 4);
        var x = Images(8, 1, 8, 8, seed: 2, low: 0, high: 0.5);
        var labels = model.call(x).argmax(1);
        using var result = new Jsma(new LogitsAttackTarget(model, Classes), new JsmaOptions { Gamma = 0.5 }).Run(x, labels);
        var expected = labels.data<long>().Select(l => (l + 1) % Classes).ToArray();
        Assert.Equal(expected, result.Targets);
        Assert.True(result.SuccessRate >= 0.75, $"JSMA success {result.SuccessRate}");
        var clean = x.reshape(8, -1).data<float>().ToArray();
        var adversarial = result.Adversarial.reshape(8, -1).data<float>().ToArray();
        for (var s = 0; s < 8; s++)
        {
            if (!result.Success[s]) continue;
            Assert.Equal(expected[s], result.Predictions[s]);
            // θ = +1 saturates each chosen feature; two per iteration.
            var changed = Enumerable.Range(0, 64).Where(j => clean[s * 64 + j] != adversarial[s * 64 + j]).ToArray();
            Assert.All(changed, j => Assert.Equal(1f, adversarial[s * 64 + j]));
            Assert.True(changed.Length <= 2 * result.Steps[s] && changed.Length >= 1);
            Assert.True(changed.Length <= 32, "gamma 0.5 of 64 features");
        }
    }

    [Fact]
    public void JsmaRejectsUntargetedUse() =>
        Assert.Throws<ArgumentException>(() => new Jsma(new LogitsAttackTarget(SmallCnn(1, 3, 8, 1), 3), new JsmaOptions { Target = TargetSelection.Untargeted }));

    [Fact]
    public void OnePixelFoolsATwelveClassModelByChangingOnePixel()
    {
        using var scope = NewDisposeScope();
        var model = Mlp(64, 32, Classes, seed: 4);
        var x = Images(6, 1, 8, 8, seed: 12);
        var labels = model.call(x).argmax(1);
        var options = new OnePixelOptions { Population = 60, Generations = 30, Seed = 4 };
        using var result = new OnePixel(new LogitsAttackTarget(model, Classes), options).Run(x, labels);
        Assert.True(result.SuccessRate >= 0.5, $"one-pixel success {result.SuccessRate}");
        var clean = x.reshape(6, -1).data<float>().ToArray();
        var adversarial = result.Adversarial.reshape(6, -1).data<float>().ToArray();
        for (var s = 0; s < 6; s++)
        {
            var changed = Enumerable.Range(0, 64).Count(j => clean[s * 64 + j] != adversarial[s * 64 + j]);
            Assert.True(changed <= 1, $"sample {s} changed {changed} pixels");
            if (result.Success[s]) Assert.NotEqual(result.Labels[s], result.Predictions[s]);
        }
        // Same seed, same answer; the fitness batch size does not matter.
        using var again = new OnePixel(new LogitsAttackTarget(model, Classes), new OnePixelOptions { Population = 60, Generations = 30, Seed = 4, FitnessBatchSize = 7 }).Run(x, labels);
        Assert.Equal(result.Steps, again.Steps);
        Assert.Equal(adversarial, again.Adversarial.reshape(6, -1).data<float>().ToArray());
    }
}
