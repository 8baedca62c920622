using MLRobust.Attacks;
using TorchSharp;
using static MLRobust.Tests.AttackTestSupport;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The score-model adapter (the triple-staged network's decision rule and attack loss) and the target rules.</summary>
public class AttackTargetTests
{
    private sealed class SigmoidScores : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> _linear;

        internal SigmoidScores(nn.Module<Tensor, Tensor> linear) : base(nameof(SigmoidScores))
        {
            _linear = linear;
            register_module("linear", linear);
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            return _linear.call(input).sigmoid().MoveToOuterDisposeScope();
        }
    }

    private static (SigmoidScores Model, float[,] W, float[] B) ScoreModel()
    {
        var rng = new Random(2);
        var w = new float[3, 16];
        for (var i = 0; i < 3; i++) for (var j = 0; j < 16; j++) w[i, j] = (float)(rng.NextDouble() * 2 - 1);
        var b = new[] { -0.8f, -1.0f, -0.9f };
        return (new SigmoidScores(Linear(w, b)), w, b);
    }

    [Fact]
    public void ScoresAdapterAppliesTheThresholdRuleAndThePapersLoss()
    {
        using var scope = NewDisposeScope();
        var (model, w, b) = ScoreModel();
        var target = new ScoresAttackTarget(model, 3, threshold: 0.45);
        Assert.Equal(4, target.ClassCount);
        Assert.Equal(3, target.NoneClass);
        var x = Images(16, 1, 4, 4, seed: 7, low: -1, high: 1);
        var pixels = x.data<float>().ToArray();
        var outputs = target.Forward(x);
        var predictions = target.Evidence(outputs).argmax(1).data<long>().ToArray();
        var labels = Enumerable.Range(0, 16).Select(i => (long)(i % 4)).ToArray();
        var loss = target.Loss(outputs, tensor(labels)).data<float>().ToArray();
        var sawNone = false;
        for (var s = 0; s < 16; s++)
        {
            var scores = Enumerable.Range(0, 3).Select(k => 1 / (1 + Math.Exp(-(b[k] + Enumerable.Range(0, 16).Sum(j => (double)w[k, j] * pixels[s * 16 + j]))))).ToArray();
            var expected = scores.All(v => v < 0.45) ? 3 : Array.IndexOf(scores, scores.Max());
            sawNone |= expected == 3;
            Assert.Equal(expected, predictions[s]);
            // Half the squared distance to the one-hot target; None = all zeros.
            var goal = Enumerable.Range(0, 3).Select(k => k == labels[s] ? 1.0 : 0.0).ToArray();
            Assert.Equal(0.5 * scores.Zip(goal).Sum(p => (p.First - p.Second) * (p.First - p.Second)), loss[s], 5);
        }
        Assert.True(sawNone, "some samples should fall below the threshold");
        Assert.Contains(predictions, p => p != 3);
    }

    [Fact]
    public void UntilFlipToNoneDrivesEveryScoreBelowTheThreshold()
    {
        using var scope = NewDisposeScope();
        var (model, _, _) = ScoreModel();
        var target = new ScoresAttackTarget(model, 3, threshold: 0.45);
        var x = Images(16, 1, 4, 4, seed: 7);
        var clean = target.Evidence(target.Forward(x)).argmax(1);
        var objects = clean.ne(3L);
        var xo = x.index(objects);
        var labels = clean.index(objects);
        Assert.True(xo.size(0) >= 4);
        using var result = new IterativeFgsm(target, new IterativeFgsmOptions { Target = TargetSelection.None, MaxSteps = 2000 }).Run(xo, labels);
        Assert.All(result.Targets, t => Assert.Equal(3, t));
        Assert.All(result.Success, Assert.True);
        var scores = model.call(result.Adversarial).data<float>().ToArray();
        Assert.All(scores, s => Assert.True(s < 0.45f));
        Assert.All(result.Steps, s => Assert.True(s > 0));
    }

    [Fact]
    public void TargetRulesSkipTheNoneClass()
    {
        using var scope = NewDisposeScope();
        var (model, _, _) = ScoreModel();
        var target = new ScoresAttackTarget(model, 3, threshold: 0.45);
        var x = Images(4, 1, 4, 4, seed: 7);
        var labels = tensor(new long[] { 0, 1, 2, 3 });
        using var next = new Fgsm(target, new FgsmOptions { Epsilon = 0, Target = TargetSelection.NextClass }).Run(x, labels);
        Assert.Equal(new long[] { 1, 2, 0, 0 }, next.Targets);
        using var least = new Fgsm(target, new FgsmOptions { Epsilon = 0, Target = TargetSelection.LeastLikely }).Run(x, labels);
        var scores = model.call(x).data<float>().ToArray();
        for (var s = 0; s < 4; s++)
        {
            var row = scores.AsSpan(s * 3, 3).ToArray();
            Assert.Equal(Array.IndexOf(row, row.Min()), least.Targets[s]);
        }
        using var none = new Fgsm(target, new FgsmOptions { Epsilon = 0, Target = TargetSelection.None }).Run(x, labels);
        Assert.All(none.Targets, t => Assert.Equal(3, t));
        Assert.Equal(none.CleanPredictions.Select(p => p == 3).ToArray(), none.Success);
    }
}
