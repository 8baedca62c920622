using MLRobust.Attacks;
using MLRobust.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Attacks against MLRobust's own classifiers through <see cref="ClassifierAttackTarget"/>: the merged
/// triple-staged network (similarity scores, Θ rule, None target) and the direct classifier (logits, dropout).</summary>
public class AttackClassifierTests
{
    private static TripleStagedNetwork TinyTripleStaged(double threshold)
    {
        manual_seed(5);
        var net = new TripleStagedNetwork(2, 2, inputSize: 24, threshold: threshold, estimatorWidths: new AlexNetSmallWidths(4, 4, 4, 4, 4, 8),
            projectorWidths: new ProjectorWidths(8, 8, 8, 8, 4, 4, 4), comparatorWidths: new ComparatorWidths(10, 8, 8, 8), referenceInitialisation: false);
        net.eval();
        return net;
    }

    [Fact]
    public void TripleStagedPredictionsFollowItsDecisionAndNoneIsReachable()
    {
        using var scope = NewDisposeScope();
        var x = rand(new long[] { 8, 1, 24, 24 });
        // Θ between the smallest and largest best score (a random tiny network scores all images alike, to a few
        // 1e-5): some images are None, some objects.
        using var probe = TinyTripleStaged(0.5);
        var scores = probe.call(x).detach();
        var best = scores.amax(new long[] { 1 }).data<float>().OrderBy(v => v).ToArray();
        Assert.True(best[^1] > best[0]);
        var threshold = (best[0] + best[^1]) / 2.0;
        using var net = TinyTripleStaged(threshold);
        var target = AttackTarget.From(net);
        Assert.Equal(3, target.ClassCount);
        Assert.Equal(2, target.NoneClass);
        var evidence = target.Forward(x);
        Assert.Equal(net.Decide(evidence).data<long>().ToArray(), target.Evidence(evidence).argmax(1).data<long>().ToArray());

        var decisions = net.Decide(net.Scores(x)).data<long>().ToArray();
        var objects = Enumerable.Range(0, 8).Where(i => decisions[i] != 2).Select(i => (long)i).ToArray();
        Assert.NotEmpty(objects);
        using var rows = tensor(objects);
        var xo = x.index_select(0, rows);
        using var result = new IterativeFgsm(target, new IterativeFgsmOptions { Target = TargetSelection.None, MaxSteps = 300 }).Run(xo, tensor(objects.Select(i => decisions[i]).ToArray()));
        Assert.All(result.Success, Assert.True);
        // The flipped images are None by the network's own rule: every object score below Θ.
        var after = net.call(result.Adversarial).data<float>().ToArray();
        Assert.All(after, s => Assert.True(s < threshold));
    }

    [Fact]
    public void DirectClassifierInTrainingModeIsAttackedWithoutDropoutAndLeftInTrainingMode()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var net = new DirectClassifier(4, noneClassIndex: 3, inputSize: 24, widths: new AlexNetSmallWidths(4, 4, 4, 4, 4, 16));
        net.train();
        var target = AttackTarget.From(net);
        Assert.Equal(3, target.NoneClass);
        var x = rand(new long[] { 4, 1, 24, 24 });
        var labels = tensor(new long[] { 0, 1, 2, 3 });
        using var first = new Bim(target, new BimOptions { Epsilon = 0.05 }).Run(x, labels);
        using var second = new Bim(target, new BimOptions { Epsilon = 0.05 }).Run(x, labels);
        Assert.True(net.training);
        Assert.Equal(first.Adversarial.data<float>().ToArray(), second.Adversarial.data<float>().ToArray());
        net.eval();
        using var evaluated = new Bim(target, new BimOptions { Epsilon = 0.05 }).Run(x, labels);
        Assert.Equal(first.Adversarial.data<float>().ToArray(), evaluated.Adversarial.data<float>().ToArray());
    }
}
