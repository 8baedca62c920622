using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Shapes and value ranges of every stage, at the paper's sizes and at a reduced one.</summary>
[Collection(SeededTorchCollection.Name)]
public class ModelShapeTests
{
    [Fact]
    public void DirectClassifier_GivesOneLogitPerClass_AndRejectsWrongImages()
    {
        manual_seed(1);
        using var scope = NewDisposeScope();
        using var net = new DirectClassifier(4, noneClassIndex: 3);
        net.eval();
        var logits = net.call(rand(2, 1, 64, 64));
        Assert.Equal(new long[] { 2, 4 }, logits.shape);
        Assert.Equal(4, net.ClassCount);
        var e = Assert.Throws<ArgumentException>(() => net.call(rand(2, 1, 32, 32)));
        Assert.Contains("[N, 1, 64, 64]", e.Message);
    }

    [Fact]
    public void DirectWithParameters_GivesLogitsAndPose_FromOnePass()
    {
        manual_seed(2);
        using var scope = NewDisposeScope();
        using var net = new DirectWithParameters(4, 3, noneClassIndex: 3, inputSize: 32, widths: Tiny.Alex);
        net.eval();
        var images = rand(5, 1, 32, 32);
        var (logits, pose) = net.ForwardWithParameters(images);
        Assert.Equal(new long[] { 5, 4 }, logits.shape);
        Assert.Equal(new long[] { 5, 3 }, pose.shape);
        // The class logits of the two-headed pass are those of forward.
        Assert.True(logits.allclose(net.call(images), 0, 0));
    }

    [Fact]
    public void PoseEstimator_ClipsItsEstimatesToTheUnitRange()
    {
        manual_seed(3);
        using var scope = NewDisposeScope();
        using var net = new PoseEstimator(3, 3, inputSize: 32, widths: Tiny.Alex, referenceInitialisation: false);
        net.eval();
        var images = rand(6, 1, 32, 32) * 50;
        var oneHot = ClassPlanes.OneHot(tensor(new long[] { 0, 1, 2, 0, 1, 2 }), 3, images);
        var raw = net.call(images, oneHot);
        var clipped = net.Estimate(images, oneHot);
        Assert.Equal(new long[] { 6, 3 }, raw.shape);
        Assert.True(clipped.ge(0).all().ToBoolean() && clipped.le(1).all().ToBoolean());
        Assert.True(clipped.allclose(raw.clamp(0.0, 1.0), 0, 0));
    }

    [Fact]
    public void AlexNetSmall_CopiedTrunk_ComputesTheSourceFeaturesOfTheFirstChannels()
    {
        manual_seed(11);
        using var scope = NewDisposeScope();
        using var source = new AlexNetSmall(1, 4, 32, Tiny.Alex, dropout: 0, referenceInitialisation: false);
        using var target = new AlexNetSmall(4, 3, 32, Tiny.Alex, dropout: 0, referenceInitialisation: false);
        source.eval();
        target.eval();
        var fc8Before = target.named_parameters().Single(p => p.name == "classifier.fc8.weight").parameter.clone();
        target.CopyTrunkFrom(source);
        var images = rand(3, 1, 32, 32);
        // Whatever the extra planes hold, the embedding is the source's embedding of the image alone.
        var planes = rand(3, 3, 32, 32) * 5;
        Assert.True(target.Embed(cat(new[] { images, planes }, 1)).allclose(source.Embed(images), 1e-6, 1e-6));
        // The output layer (3 outputs here, 4 in the source) keeps its own weights.
        Assert.True(target.named_parameters().Single(p => p.name == "classifier.fc8.weight").parameter.allclose(fc8Before, 0, 0));

        using var wider = new AlexNetSmall(1, 4, 32, Tiny.Alex with { Fc = Tiny.Alex.Fc * 2 });
        Assert.Contains("widths", Assert.Throws<ArgumentException>(() => target.CopyTrunkFrom(wider)).Message);
        using var larger = new AlexNetSmall(1, 4, 64, Tiny.Alex);
        Assert.Contains("64x64", Assert.Throws<ArgumentException>(() => target.CopyTrunkFrom(larger)).Message);
        Assert.Contains("input channels", Assert.Throws<ArgumentException>(() => source.CopyTrunkFrom(target)).Message);
    }

    [Fact]
    public void PoseEstimator_StartedFromADirectClassifier_IgnoresTheClassPlanesUntilTrained()
    {
        manual_seed(12);
        using var scope = NewDisposeScope();
        using var direct = new DirectClassifier(4, 3, inputSize: 32, widths: Tiny.Alex, referenceInitialisation: false);
        using var estimator = new PoseEstimator(3, 3, inputSize: 32, widths: Tiny.Alex, dropout: 0, referenceInitialisation: false);
        estimator.eval();
        var images = rand(4, 1, 32, 32);
        estimator.InitialiseFrom(direct);
        var first = estimator.call(images, OneHot(0));
        Assert.True(first.allclose(estimator.call(images, OneHot(2)), 1e-6, 1e-6));

        using var custom = new DirectClassifier(nn.Sequential(nn.Flatten(), nn.Linear(32 * 32, 4)), 4, 3, 32);
        Assert.Contains("custom network", Assert.Throws<ArgumentException>(() => estimator.InitialiseFrom(custom)).Message);

        Tensor OneHot(long c) => ClassPlanes.OneHot(full(new long[] { 4 }, c, ScalarType.Int64), 3, images);
    }

    [Fact]
    public void PoseEstimator_StartedFromADirectWithParametersModel_EstimatesItsPoseForEveryClass()
    {
        manual_seed(13);
        using var scope = NewDisposeScope();
        using var model = new DirectWithParameters(4, 3, 3, inputSize: 32, widths: Tiny.Alex, dropout: 0, referenceInitialisation: false);
        using var estimator = new PoseEstimator(3, 3, inputSize: 32, widths: Tiny.Alex, dropout: 0, referenceInitialisation: false);
        model.eval();
        estimator.eval();
        var images = rand(4, 1, 32, 32);
        estimator.InitialiseFrom(model);
        var (_, pose) = model.ForwardWithParameters(images);
        for (var c = 0; c < 3; c++)
            Assert.True(estimator.call(images, ClassPlanes.OneHot(full(new long[] { 4 }, c, ScalarType.Int64), 3, images)).allclose(pose, 1e-5, 1e-6));

        using var twoParameters = new DirectWithParameters(4, 2, 3, inputSize: 32, widths: Tiny.Alex, referenceInitialisation: false);
        Assert.Contains("2 pose parameters", Assert.Throws<ArgumentException>(() => estimator.InitialiseFrom(twoParameters)).Message);
        using var target = new AlexNetSmall(4, 3, 32, Tiny.Alex, dropout: 0, referenceInitialisation: false);
        Assert.Contains("maps", Assert.Throws<ArgumentException>(() => target.CopyOutputLayerFrom(nn.Linear(Tiny.Alex.Fc, 5))).Message);
    }

    [Fact]
    public void ClassPlanes_AppendKConstantPlanesHoldingTheOneHotClass()
    {
        using var scope = NewDisposeScope();
        var images = rand(2, 1, 4, 4);
        var oneHot = ClassPlanes.OneHot(tensor(new long[] { 2, 0 }), 3, images);
        var input = ClassPlanes.AppendToImages(images, oneHot);
        Assert.Equal(new long[] { 2, 4, 4, 4 }, input.shape);
        var v = input.data<float>().ToArray();
        // Sample 0 (class 2): planes 1, 2 zero and plane 3 ones; sample 1 (class 0): plane 1 ones.
        for (var p = 0; p < 16; p++)
        {
            Assert.Equal(0f, v[16 + p]);
            Assert.Equal(0f, v[32 + p]);
            Assert.Equal(1f, v[48 + p]);
            Assert.Equal(1f, v[64 + 16 + p]);
            Assert.Equal(0f, v[64 + 48 + p]);
        }
    }

    [Theory]
    [InlineData(64L)]
    [InlineData(24L)]
    public void Projector_DrawsIntensityTimesMask_AtTheInputSize(long size)
    {
        manual_seed(4);
        using var scope = NewDisposeScope();
        using var net = new Projector(3, 3, size);
        var parameters = rand(2, 3);
        var oneHot = ClassPlanes.OneHot(tensor(new long[] { 1, 2 }), 3, parameters);
        var p = net.call(parameters, oneHot);
        foreach (var t in new[] { p.Image, p.Mask, p.MaskLogits, p.Intensity }) Assert.Equal(new long[] { 2, 1, size, size }, t.shape);
        Assert.True(p.Mask.gt(0).all().ToBoolean() && p.Mask.lt(1).all().ToBoolean());
        Assert.True(p.Image.allclose(p.Intensity * p.MaskLogits.sigmoid(), 1e-6, 1e-7));
        Assert.Equal(size / 8, net.SeedSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Projector(3, 3, 60));
    }

    [Fact]
    public void Comparator_GivesOneProbabilityPerPatch_AndA55MapOnA64Image()
    {
        manual_seed(5);
        using var scope = NewDisposeScope();
        using var net = new Comparator();
        var onPatches = net.Similarity(rand(7, 3, 10, 10));
        Assert.Equal(new long[] { 7, 1, 1, 1 }, onPatches.shape);
        var map = net.Similarity(rand(2, 3, 64, 64));
        Assert.Equal(new long[] { 2, 1, 55, 55 }, map.shape);
        Assert.True(map.gt(0).all().ToBoolean() && map.lt(1).all().ToBoolean());
        // Sliding is the same as cutting the patch out: position (3, 17) of the map.
        var input = rand(1, 3, 64, 64);
        var slid = net.Similarity(input).data<float>()[3 * 55 + 17];
        var cut = net.Similarity(input.narrow(2, 3, 10).narrow(3, 17, 10)).ToSingle();
        Assert.Equal(cut, slid, 5);
    }

    [Fact]
    public void TripleStaged_RunsEveryClass_AndScoresInTheUnitRange()
    {
        manual_seed(6);
        using var scope = NewDisposeScope();
        using var net = new TripleStagedNetwork(3, 3, inputSize: 32, estimatorWidths: Tiny.Alex, projectorWidths: Tiny.Projector, comparatorWidths: Tiny.Comparator);
        net.eval();
        var images = rand(4, 1, 32, 32);
        var o = net.Run(images);
        Assert.Equal(new long[] { 4, 3 }, o.ClassScores.shape);
        Assert.Equal(new long[] { 4, 3, 3 }, o.Parameters.shape);
        Assert.Equal(new long[] { 4, 3, 32, 32 }, o.ProjectedImages.shape);
        Assert.Equal(new long[] { 4, 3, 32, 32 }, o.Masks.shape);
        Assert.Equal(new long[] { 4, 3, 23, 23 }, o.SimilarityMaps.shape);
        Assert.True(o.ClassScores.ge(0).all().ToBoolean() && o.ClassScores.le(1).all().ToBoolean());
        Assert.True(o.Parameters.ge(0).all().ToBoolean() && o.Parameters.le(1).all().ToBoolean());
        var scores = net.Scores(images);
        Assert.Equal(new long[] { 4, 4 }, scores.shape);

        // Each class's column equals running the stages by hand for that class alone.
        for (var k = 0; k < 3; k++)
        {
            var oneHot = ClassPlanes.OneHot(full(new long[] { 4 }, k, ScalarType.Int64), 3, images);
            var pose = net.Estimator.Estimate(images, oneHot);
            var projection = net.Projector.call(pose, oneHot);
            var sim = net.Comparator.Similarity(Comparator.Stack(images, projection.Image, projection.Mask));
            var byHand = TripleStagedNetwork.Score(sim, projection.Mask, 10);
            Assert.True(byHand.allclose(o.ClassScores.narrow(1, k, 1).reshape(4), 1e-5, 1e-6), $"class {k}");
            Assert.True(pose.allclose(o.Parameters.select(1, k), 1e-5, 1e-6));
        }
    }
}

/// <summary>Small widths that keep tests fast.</summary>
internal static class Tiny
{
    internal static readonly AlexNetSmallWidths Alex = new(4, 8, 8, 8, 8, 16);
    internal static readonly ProjectorWidths Projector = new(16, 16, 16, 16, 8, 8, 4);
    internal static readonly ComparatorWidths Comparator = new(10, 8, 8, 8);
}
