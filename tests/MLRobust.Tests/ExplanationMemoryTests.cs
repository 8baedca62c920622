using MLRobust.Attacks;
using MLRobust.Explanations;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Explaining in a loop leaves no live tensors behind on the thread (as NativeMemoryTests does for attacks).</summary>
public class ExplanationMemoryTests
{
    private static long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Fact]
    public void RepeatedExplanationsLeaveNoTensorsBehind()
    {
        using var module = ExplanationLimeTests.SmallCnnManaged(12, 3);
        var model = AttackTarget.FromLogits(module, 3);
        using var x = AttackTestSupport.Images(4, 1, 12, 12, seed: 2);
        using var classes = tensor(new long[] { 0, 1, 2, 0 });
        var explainers = new Explainer[]
        {
            new Lime(model, new LimeOptions { Samples = 40, BatchSize = 32, Segmenter = new QuickshiftSegmenter(new QuickshiftOptions { KernelSize = 2 }) }),
            new Saliency(model),
            new Saliency(model, new SaliencyOptions { Method = SaliencyMethod.SmoothGrad, Samples = 5, BatchSize = 7 }),
            new Saliency(model, new SaliencyOptions { Method = SaliencyMethod.IntegratedGradients, Steps = 10, BatchSize = 16 }),
        };
        void RunOnce()
        {
            foreach (var e in explainers)
            {
                e.Explain(x);
                e.Explain(x, classes);
            }
        }
        RunOnce();
        var before = Live();
        for (var i = 0; i < 10; i++) RunOnce();
        Assert.Equal(before, Live());
    }
}
