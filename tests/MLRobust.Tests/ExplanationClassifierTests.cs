using MLRobust.Attacks;
using MLRobust.Explanations;
using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Explanations of MLRobust's own classifiers: a direct classifier (logits: LIME explains the softmax
/// probability) and the triple-staged network (similarity scores: LIME explains the score itself).</summary>
[Collection(SeededTorchCollection.Name)]
public class ExplanationClassifierTests
{
    [Fact]
    public void ExplainsADirectClassifier()
    {
        using var net = new DirectClassifier(ExplanationLimeTests.SmallCnnManaged(24, 3), 3, inputSize: 24);
        var model = AttackTarget.From(net);
        using var x = AttackTestSupport.Images(2, 1, 24, 24, seed: 1);
        var lime = new Lime(model, new LimeOptions { Samples = 50, Segmenter = new GridSegmenter(6, 6) }).Explain(x);
        using (no_grad())
        using (var probabilities = net.Scores(x).softmax(1))
            for (var i = 0; i < 2; i++)
                Assert.Equal(probabilities[i, lime.Classes[i]].item<float>(), lime.Outputs[i], 5);
        var ig = new Saliency(model, new SaliencyOptions { Method = SaliencyMethod.IntegratedGradients, Steps = 64 }).Explain(x);
        for (var i = 0; i < 2; i++)
            Assert.True(Math.Abs(ig.Attributions[i].Sum(v => (double)v) - (ig.Outputs[i] - ig.BaselineOutputs[i])) < 2e-3);
    }

    [Fact]
    public void ExplainsTheTripleStagedNetwork()
    {
        manual_seed(5);
        using var net = new TripleStagedNetwork(2, 2, inputSize: 24, threshold: 0.5, estimatorWidths: new AlexNetSmallWidths(4, 4, 4, 4, 4, 8),
            projectorWidths: new ProjectorWidths(8, 8, 8, 8, 4, 4, 4), comparatorWidths: new ComparatorWidths(10, 8, 8, 8), referenceInitialisation: false);
        net.eval();
        var model = AttackTarget.From(net);
        using var x = AttackTestSupport.Images(2, 1, 24, 24, seed: 2);
        using var classes = tensor(new long[] { 0, 1 });
        var lime = new Lime(model, new LimeOptions { Samples = 30, Segmenter = new GridSegmenter(8, 8) }).Explain(x, classes);
        using (no_grad())
        using (var scores = net.Scores(x))
            for (var i = 0; i < 2; i++)
                Assert.Equal(scores[i, i].item<float>(), lime.Outputs[i], 5); // the score, not a softmax
        var gradient = new Saliency(model).Explain(x, classes);
        Assert.All(gradient.HeatMaps, m => Assert.Equal(24 * 24, m.Length));
        Assert.Contains(gradient.HeatMaps.SelectMany(m => m), v => v != 0);
    }
}
