using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using MLRobust.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Each stage learns what it should: the projector overfits a handful of renders, the comparator separates "same" from
/// "different" patches, and the patch sampler makes balanced, covered patches.</summary>
[Collection(SeededTorchCollection.Name)]
public class StageTrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void Projector_OverfitsAHandfulOfRenders_DownToTheMaskEntropyFloor()
    {
        const int size = 24;
        var rows = SyntheticShapes.Rows(8, size, 5).Where(r => r.Label != SyntheticShapes.NoneClass + 1).ToArray();
        using var scope = NewDisposeScope();
        var (_, classes, parameters, clean, alpha) = SyntheticShapes.Tensors(rows, size);
        manual_seed(3);
        using var projector = new Projector(3, 2, size);
        using var optimizer = optim.Adam(projector.parameters(), 2e-3);
        var oneHot = ClassPlanes.OneHot(classes, 3, parameters);

        // The loss can't go below the cross entropy of the soft alpha targets with themselves: the mean binary entropy of
        // the anti-aliased edge pixels (the image term's minimum is 0). A projector that has memorised the renders gets
        // within 0.03 of it (the initial loss is about 0.69 + 0.2).
        var a = alpha.data<float>().ToArray();
        var floor = a.Select(v => v <= 0 || v >= 1 ? 0.0 : -(v * Math.Log(v) + (1 - v) * Math.Log(1 - v))).Average();
        double first = 0, last = 0;
        for (var t = 0; t < 200; t++)
        {
            using var step = NewDisposeScope();
            optimizer.zero_grad();
            var loss = Losses.Projector(projector.call(parameters, oneHot), clean, alpha);
            loss.backward();
            optimizer.step();
            if (t == 0) first = loss.ToDouble();
            last = loss.ToDouble();
        }
        output.WriteLine($"loss {first:F4} → {last:F4}, floor {floor:F4}");
        Assert.True(first > floor + 0.5, $"the initial loss {first} is far above the floor {floor}");
        Assert.True(last < floor + 0.03, $"the projector reached {last}, floor {floor}");
    }

    [Fact]
    public void Comparator_ScoresSamePatchesAboveDifferentOnes_AfterAShortTraining()
    {
        // "Same": a query patch with the clean render and alpha of its own object. "Different": the query of another row
        // (another class, or a None background) against that render. Held-out rows are scored after training.
        const int size = 24;
        using var scope = NewDisposeScope();
        var (trainSame, trainDifferent) = Pairs(SyntheticShapes.Rows(64, size, 21), size);
        var (testSame, testDifferent) = Pairs(SyntheticShapes.Rows(32, size, 22), size);
        manual_seed(4);
        using var comparator = new Comparator(new ComparatorWidths(10, 32, 32, 32));
        using var optimizer = optim.Adam(comparator.parameters(), 2e-3);
        var random = new Random(5);
        var patches = cat(new[] { trainSame, trainDifferent }, 0);
        var labels = cat(new[] { ones(trainSame.size(0)), zeros(trainDifferent.size(0)) }, 0);
        for (var t = 0; t < 600; t++)
        {
            using var step = NewDisposeScope();
            var pick = tensor(Enumerable.Range(0, 128).Select(_ => (long)random.Next((int)patches.size(0))).ToArray());
            optimizer.zero_grad();
            var loss = nn.functional.binary_cross_entropy_with_logits(comparator.call(patches.index_select(0, pick)).reshape(-1), labels.index_select(0, pick));
            loss.backward();
            optimizer.step();
        }
        comparator.eval();
        using var noGrad = no_grad();
        var same = comparator.Similarity(testSame).reshape(-1).data<float>().ToArray();
        var different = comparator.Similarity(testDifferent).reshape(-1).data<float>().ToArray();
        // Area under the ROC curve: the chance that a random same patch scores above a random different one.
        var auc = same.Average(s => different.Average(d => s > d ? 1.0 : s == d ? 0.5 : 0.0));
        output.WriteLine($"same {same.Average():F3}, different {different.Average():F3}, AUC {auc:F3} ({same.Length} / {different.Length} patches)");
        Assert.True(same.Average() > different.Average() + 0.2, $"mean same {same.Average()}, mean different {different.Average()}");
        Assert.True(auc > 0.8, $"AUC {auc}");
    }

    /// <summary>Covered 10x10 patches (stride 6) of (query, clean render, alpha): same with the row's own render, different
    /// with the render of the next object row shown over this row's query.</summary>
    private static (Tensor same, Tensor different) Pairs(ShapeRow[] rows, int size)
    {
        var (images, classes, _, clean, alpha) = SyntheticShapes.Tensors(rows, size);
        var objects = rows.Select((r, i) => (r, i)).Where(x => x.r.Label != SyntheticShapes.NoneClass + 1).Select(x => (long)x.i).ToArray();
        var own = tensor(objects);
        // Pair each object render with the query of the row after it (another class or a None background).
        var other = tensor(objects.Select(i => (i + 1) % rows.Length).ToArray());
        Tensor Cut(Tensor queries, Tensor index)
        {
            var stacked = Comparator.Stack(queries, clean.index_select(0, index), alpha.index_select(0, index));
            var n = stacked.size(0);
            var columns = nn.functional.unfold(stacked, 10, stride: 6);
            var patches = columns.transpose(1, 2).reshape(-1, 3, 10, 10);
            var keep = patches.select(1, 2).mean(new long[] { 1, 2 }).ge(0.01).nonzero().reshape(-1);
            return patches.index_select(0, keep);
        }
        return (Cut(images.index_select(0, own), own), Cut(images.index_select(0, other), own));
    }

    [Fact]
    public void PatchSampler_MakesBalancedBatchesOfCoveredPatches()
    {
        const int size = 24;
        using var scope = NewDisposeScope();
        var rows = SyntheticShapes.Rows(40, size, 31);
        var (images, classes, parameters, clean, alpha) = SyntheticShapes.Tensors(rows, size);
        using var source = new TensorSampleSource(images, classes, 4, 3, parameters, clean, alpha, seed: 2);
        manual_seed(5);
        using var network = new TripleStagedNetwork(3, 2, size, estimatorWidths: Tiny.Alex, projectorWidths: Tiny.Projector, comparatorWidths: Tiny.Comparator);
        var sampler = new PatchSampler(network, stride: 6, minimumCoverage: 0.01);

        var (patches, labels) = sampler.Balanced(source, 64, 8, new Random(1));
        Assert.Equal(new long[] { 64, 3, 10, 10 }, patches.shape);
        Assert.Equal(32f, labels.sum().ToSingle());
        Assert.True(patches.select(1, 2).mean(new long[] { 1, 2 }).ge(0.01f).all().ToBoolean(), "every patch is covered");

        // Cut: patches come from the 2x2 grid of 10x10 windows at stride 6 (24 → 3x3 positions), and None rows are always "different".
        using var batch = source.Next(12, SampleFilter.All);
        var (cut, cutLabels) = sampler.Cut(batch, new Random(2));
        Assert.True(cut.size(0) <= 12 * 9);
        var noneRows = batch.Classes.eq(3).sum().ToInt64();
        Assert.True(noneRows > 0);
        Assert.True(cutLabels.sum().ToSingle() <= (12 - noneRows) * 9);
    }

    [Theory]
    [InlineData(LearningRateSchedule.Fixed, 0, 0.01)]
    [InlineData(LearningRateSchedule.Fixed, 99_999, 0.01)]
    [InlineData(LearningRateSchedule.Step, 9_999, 0.01)]
    [InlineData(LearningRateSchedule.Step, 10_000, 0.001)]
    [InlineData(LearningRateSchedule.Step, 39_999, 0.00001)]
    public void Solver_StepScheduleOfTheReferenceCode(LearningRateSchedule schedule, int iteration, double expected)
    {
        var solver = SolverOptions.PaperClassifier();
        solver.Schedule = schedule;
        Assert.Equal(expected, solver.LearningRateAt(iteration), 12);
    }

    [Theory]
    [InlineData(0, 5e-4)]
    [InlineData(249_999, 5e-4)]
    [InlineData(250_000, 2.5e-4)]
    [InlineData(350_000, 1.25e-4)]
    [InlineData(499_999, 6.25e-5)]
    public void Solver_ProjectorHalvesAtItsMilestones(int iteration, double expected)
    {
        var solver = SolverOptions.PaperProjector();
        Assert.Equal(OptimizerKind.Adam, solver.Optimizer);
        Assert.Equal(expected, solver.LearningRateAt(iteration), 12);
    }

    [Theory]
    [InlineData(0, 2e-4)]        // warm-up: (t + 1) / 5 of the rate
    [InlineData(4, 1e-3)]        // end of warm-up
    [InlineData(5, 1e-3)]        // cosine starts at the full rate
    [InlineData(52, 5.0827e-4)]  // ½(1 + cos(π·47/95)) = 0.50827
    [InlineData(99, 2.7337e-7)]  // ½(1 + cos(π·94/95)) = 2.7337e-4 of the rate
    [InlineData(150, 0)]         // past the end it stays at 0
    public void Solver_ShortRunPresetWarmsUpThenFollowsHalfACosine(int iteration, double expected)
    {
        var solver = SolverOptions.ShortRun(100);
        Assert.Equal(LearningRateSchedule.Cosine, solver.Schedule);
        Assert.Equal(5, solver.WarmupIterations);
        Assert.Equal(expected, solver.LearningRateAt(iteration, 100), 7);
        var rates = Enumerable.Range(5, 95).Select(t => solver.LearningRateAt(t, 100)).ToArray();
        Assert.True(rates.Zip(rates.Skip(1)).All(p => p.Second < p.First), "the cosine part falls at every iteration");
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.LearningRateAt(10));
    }

    [Fact]
    public void PaperPresets_HaveTheReferenceRunLengths()
    {
        var o = new TripleStagedTrainingOptions();
        o.UsePaperSolvers();
        Assert.Equal((40_000, 128), (o.Estimator.Iterations, o.Estimator.BatchSize));
        Assert.Equal((500_000, 128), (o.Projector.Iterations, o.Projector.BatchSize));
        Assert.Equal((50_000, 1280), (o.Comparator.Iterations, o.Comparator.BatchSize));
        Assert.Equal(2.5e-4, o.Comparator.Solver.LearningRate);
        Assert.Equal((0.9, 5e-4), (o.Comparator.Solver.Momentum, o.Comparator.Solver.WeightDecay));
        var d = new DirectTrainingOptions();
        d.UsePaperSolver();
        Assert.Equal((40_000, 128, 0.01), (d.Classifier.Iterations, d.Classifier.BatchSize, d.Classifier.Solver.LearningRate));
    }
}
