using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The class score formula and the Θ rule, against hand-computed values.</summary>
[Collection(SeededTorchCollection.Name)]
public class ScoreAndDecisionTests
{
    [Fact]
    public void Score_IsTheMaskWeightedMeanOfTheSimilarityMap()
    {
        // 4x4 mask, 2x2 windows at stride 1 → 3x3 pooled mask; similarity map 3x3. Worked example:
        // mask rows: [1 1 0 0], [1 1 0 0], [0 0 0 0], [0 0 0 1]
        // pooled (mean of each 2x2 window): [1 .5 0], [.5 .25 0], [0 0 .25]
        // similarity: [.9 .8 .1], [.7 .6 .2], [.3 .4 .5]
        // Σ sim·pooled = .9 + .4 + .35 + .15 + .125 = 1.925; Σ pooled = 2.5; score = 0.77
        using var scope = NewDisposeScope();
        var mask = tensor(new float[] { 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, new long[] { 1, 1, 4, 4 });
        var sim = tensor(new float[] { .9f, .8f, .1f, .7f, .6f, .2f, .3f, .4f, .5f }, new long[] { 1, 1, 3, 3 });
        var score = TripleStagedNetwork.Score(sim, mask, 2).ToSingle();
        Assert.Equal(0.77f, score, 5);
    }

    [Fact]
    public void Score_OfAnEmptyMask_IsZeroNotNaN()
    {
        using var scope = NewDisposeScope();
        var score = TripleStagedNetwork.Score(full(new long[] { 1, 1, 3, 3 }, 0.9f), zeros(1, 1, 4, 4), 2).ToSingle();
        Assert.Equal(0f, score);
    }

    [Theory]
    // scores (K = 3), Θ, None index, expected class
    [InlineData(new[] { 0.1f, 0.3f, 0.2f }, 0.45, 3, 3)]   // all below Θ → None
    [InlineData(new[] { 0.1f, 0.5f, 0.2f }, 0.45, 3, 1)]   // one above → that class
    [InlineData(new[] { 0.6f, 0.5f, 0.9f }, 0.45, 3, 2)]   // several above → the best
    [InlineData(new[] { 0.45f, 0.1f, 0.2f }, 0.45, 3, 0)]  // equal to Θ is not below it
    [InlineData(new[] { 0.7f, 0.7f, 0.2f }, 0.45, 3, 0)]   // ties → the first
    [InlineData(new[] { 0.1f, 0.3f, 0.2f }, 0.45, 0, 0)]   // None first: None
    [InlineData(new[] { 0.1f, 0.5f, 0.2f }, 0.45, 0, 2)]   // None first: object 1 is class 2
    [InlineData(new[] { 0.5f, 0.1f, 0.2f }, 0.45, 1, 0)]   // None in the middle: object 0 is class 0
    [InlineData(new[] { 0.1f, 0.1f, 0.5f }, 0.45, 1, 3)]   // None in the middle: object 2 is class 3
    [InlineData(new[] { 0.19f, 0.1f, 0.2f }, 0.2, 3, 2)]
    [InlineData(new[] { 0.69f, 0.1f, 0.2f }, 0.7, 3, 3)]
    public void ThetaRule_NoneExactlyWhenEveryScoreIsBelowTheta(float[] scores, double theta, int none, int expected)
    {
        Assert.Equal(expected, ClassDecision.Decide(scores, theta, none));

        // The batched rule agrees.
        using var scope = NewDisposeScope();
        Assert.Equal(expected, ClassDecision.Decide(tensor(scores, new long[] { 1, 3 }), theta, none).ToInt64());

        // The full Score row's argmax (first index wins ties, as ML.NET's evaluator) is the same decision.
        var row = new float[4];
        ClassDecision.FillScoreRow(scores, theta, none, row);
        var argmax = 0;
        for (var i = 1; i < row.Length; i++) if (row[i] > row[argmax]) argmax = i;
        Assert.Equal(expected, argmax);
    }

    [Fact]
    public void ThetaCanChangeAfterConstruction_AndTheDecisionFollows()
    {
        manual_seed(7);
        using var scope = NewDisposeScope();
        using var net = new TripleStagedNetwork(3, 2, inputSize: 24, estimatorWidths: Tiny.Alex, projectorWidths: Tiny.Projector);
        var scores = net.WithNoneColumn(tensor(new float[] { 0.3f, 0.5f, 0.1f }, new long[] { 1, 3 }));
        net.Threshold = 0.2;
        Assert.Equal(1L, net.Decide(scores).ToInt64());
        net.Threshold = 0.7;
        Assert.Equal(3L, net.Decide(scores).ToInt64());
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Threshold = 1.5);
    }

    [Fact]
    public void TargetLoss_IsHalfTheSquaredDistanceToTheOneHotTarget()
    {
        manual_seed(8);
        using var scope = NewDisposeScope();
        using var net = new TripleStagedNetwork(3, 2, inputSize: 24, noneClassIndex: 1, estimatorWidths: Tiny.Alex, projectorWidths: Tiny.Projector);
        // Classes: 0 = object 0, 1 = None, 2 = object 1, 3 = object 2. Object scores (.2, .6, .1).
        var scores = net.WithNoneColumn(tensor(new float[] { 0.2f, 0.6f, 0.1f, 0.2f, 0.6f, 0.1f }, new long[] { 2, 3 }));
        var loss = net.TargetLoss(scores, tensor(new long[] { 2, 1 })).data<float>().ToArray();
        // Target class 2 = object 1: ½((.2)² + (.4)² + (.1)²) = 0.105; None: ½(.04 + .36 + .01) = 0.205.
        Assert.Equal(0.105f, loss[0], 5);
        Assert.Equal(0.205f, loss[1], 5);

        using var direct = new DirectClassifier(3, inputSize: 24, widths: Tiny.Alex);
        var logits = tensor(new float[] { 1, 2, 3 }, new long[] { 1, 3 });
        var ce = direct.TargetLoss(logits, tensor(new long[] { 0 })).ToSingle();
        Assert.Equal((float)(Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3)) - 1), ce, 5);
    }
}
