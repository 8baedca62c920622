using System.Diagnostics;
using Microsoft.ML;
using MLRobust.Attacks;
using MLRobust.Augmentation;
using MLRobust.Models;
using MLRobust.Tests.Infrastructure;
using MLRobust.Trainers;
using MLRobust.Training;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Adversarial training of the direct classifiers: it makes a network resist PGD where plain training does not, the
/// batch the loss sees is exactly the attack of the current weights, runs repeat by seed (also when stopped and resumed), the
/// options are checked, and the ML.NET trainers carry it.</summary>
[Collection(SeededTorchCollection.Name)]
public class AdversarialTrainingTests(ITestOutputHelper output)
{
    private const int Size = 24;

    /// <summary>A small CNN of the user's (bring-your-own network): [N, 1, 24, 24] in [0, 1] → logits [N, 4].</summary>
    private sealed class SmallCnn : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv1, conv2, fc1, fc2;

        public SmallCnn() : base(nameof(SmallCnn))
        {
            conv1 = nn.Conv2d(1, 16, 3, padding: 1);
            conv2 = nn.Conv2d(16, 32, 3, padding: 1);
            fc1 = nn.Linear(32 * (Size / 4) * (Size / 4), 64);
            fc2 = nn.Linear(64, 4);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = nn.functional.max_pool2d(nn.functional.relu(conv1.call(x)), 2);
            h = nn.functional.max_pool2d(nn.functional.relu(conv2.call(h)), 2);
            return fc2.call(nn.functional.relu(fc1.call(h.flatten(1)))).MoveToOuterDisposeScope();
        }
    }

    /// <summary>The shapes' images clipped to [0, 1], the range the attacks work in (the triangle's shading runs above 1).</summary>
    private static (Tensor images, Tensor classes, Tensor parameters) Data(int rows, int dataSeed)
    {
        var (images, classes, parameters, clean, alpha) = SyntheticShapes.Tensors(SyntheticShapes.Rows(rows, Size, dataSeed), Size);
        clean.Dispose();
        alpha.Dispose();
        using (images) return (images.clamp(0, 1), classes, parameters);
    }

    private static TensorSampleSource Source(int rows, int dataSeed, int seed = 7)
    {
        using var scope = NewDisposeScope();
        var (images, classes, parameters) = Data(rows, dataSeed);
        return new TensorSampleSource(images, classes, 4, SyntheticShapes.NoneClass, parameters, seed: seed);
    }

    private static DirectTrainingOptions Training(int iterations, int batch, AdversarialTrainingOptions? adversarial, int seed = 3) => new()
    {
        Seed = seed,
        Adversarial = adversarial,
        Classifier = new StageOptions(iterations, batch, new SolverOptions { Optimizer = OptimizerKind.Adam, LearningRate = 2e-3 }),
    };

    private static Dictionary<string, float[]> Weights(nn.Module m) =>
        m.state_dict().ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    // ---- (a) the effect ----

    [Fact]
    public void AdversarialTraining_RaisesPgdAccuracy_OverPlainTraining_AtACleanAccuracyCost()
    {
        // At 8/255 these shapes are easy (plain training already keeps ~80% under PGD). At 16/255, over three seed pairs, plain
        // training kept 25-35% and adversarial training 66-73% (gains of 38-41 points), so the 25-point bar is not a coin toss.
        const double epsilon = 16.0 / 255;
        using var scope = NewDisposeScope();
        var (testImages, testClasses, _) = Data(200, 12);

        (double clean, double pgd, double seconds) TrainAndMeasure(AdversarialTrainingOptions? adversarial)
        {
            using var source = Source(400, 11);
            manual_seed(21);
            using var network = new DirectClassifier(new SmallCnn(), 4, SyntheticShapes.NoneClass, Size, "SmallCnn");
            var watch = Stopwatch.StartNew();
            DirectTraining.Train(network, source, Training(200, 32, adversarial, seed: 3));
            var seconds = watch.Elapsed.TotalSeconds;
            network.eval();
            double clean;
            using (no_grad()) clean = network.Decide(network.call(testImages)).eq(testClasses).to_type(ScalarType.Float32).mean().ToDouble();
            // The library's PGD at the training ε, with more steps than training used and its own seed.
            using var attacked = new Pgd(AttackTarget.From(network), new PgdOptions { Epsilon = epsilon, StepSize = epsilon / 4, Steps = 10, Seed = 99 })
                .Run(testImages, testClasses);
            var robust = attacked.Predictions.Zip(attacked.Labels).Count(p => p.First == p.Second) / (double)attacked.Count;
            return (clean, robust, seconds);
        }

        var plain = TrainAndMeasure(null);
        var adversarial = TrainAndMeasure(new AdversarialTrainingOptions { Epsilon = epsilon, StepSize = epsilon / 4, Steps = 4, Ratio = 0.5 });
        output.WriteLine($"plain:       clean {plain.clean:P1}, PGD(ε=16/255, 10 steps) {plain.pgd:P1}, trained in {plain.seconds:F1} s");
        output.WriteLine($"adversarial: clean {adversarial.clean:P1}, PGD(ε=16/255, 10 steps) {adversarial.pgd:P1}, trained in {adversarial.seconds:F1} s");
        output.WriteLine($"clean-accuracy cost {plain.clean - adversarial.clean:+0.0%;-0.0%}, PGD accuracy gain {adversarial.pgd - plain.pgd:+0.0%;-0.0%}");
        Assert.True(plain.clean > 0.8, $"plain training reached only {plain.clean:P1} clean accuracy");
        Assert.True(adversarial.clean > 0.6, $"adversarial training reached only {adversarial.clean:P1} clean accuracy");
        Assert.True(adversarial.pgd > 0.5 && adversarial.pgd > plain.pgd + 0.25, $"PGD accuracy: plain {plain.pgd:P1}, adversarial {adversarial.pgd:P1}");
    }

    /// <summary>The same effect through ML.NET: rendered scenes of the built-in glTF models, the DirectClassifier trainer with
    /// <c>Adversarial</c> set, and robustness measured with <c>EvaluateRobustness</c> (PGD over ε).</summary>
    [Fact]
    public void AdversarialTraining_ThroughTheMLNetTrainer_OnRenderedScenes_RaisesPgdAccuracy()
    {
        const double epsilon = 8.0 / 255;
        var ml = new MLContext(5);
        IDataView Scenes(int count, int seed)
        {
            var scenes = ml.Data.LoadFromSyntheticScenes(new Rendering.Scenes.SyntheticSceneOptions { Count = count, ImageSize = Size, Seed = seed, NoneFraction = 0.25f });
            return ml.Data.Cache(ml.Transforms.CopyColumns("Features", Rendering.Scenes.SceneColumns.Image).Fit(scenes).Transform(scenes));
        }
        var train = Scenes(480, 31);
        var test = Scenes(160, 32);
        (double clean, double pgd) TrainAndMeasure(AdversarialTrainingOptions? adversarial)
        {
            manual_seed(21);
            var options = new DirectClassifierTrainer.Options
            {
                Network = new SmallCnn(), NetworkName = "adversarial-test-cnn", Seed = 3, Adversarial = adversarial,
                Classifier = new StageOptions(300, 32, new SolverOptions { Optimizer = OptimizerKind.Adam, LearningRate = 2e-3 }),
            };
            using var model = ml.MulticlassClassification.Trainers.DirectClassifier(options).Fit(train);
            var metrics = ml.MulticlassClassification.EvaluateRobustness(model, test, new Robustness.RobustnessEvaluationOptions
            {
                Index = null, PixelChanges = null, RestoreFgsmEpsilon = null,
                EpsilonAttacks = new() { new PgdOptions { Steps = 10, StepSize = epsilon / 4, Seed = 99 } },
                Epsilon = new Robustness.EpsilonSweepOptions { Epsilons = new[] { 0, epsilon } },
            });
            var curve = metrics.Summary.EpsilonCurves[0];
            return (curve.Accuracy[0], curve.Accuracy[1]);
        }

        var plain = TrainAndMeasure(null);
        var adversarial = TrainAndMeasure(new AdversarialTrainingOptions { Epsilon = epsilon, StepSize = epsilon / 4, Steps = 4, Ratio = 0.5 });
        output.WriteLine($"rendered scenes 24x24: plain clean {plain.clean:P1}, PGD(8/255) {plain.pgd:P1}; adversarial clean {adversarial.clean:P1}, PGD {adversarial.pgd:P1}");
        Assert.True(plain.clean > 0.7, $"plain training reached only {plain.clean:P1} clean accuracy");
        Assert.True(adversarial.pgd > plain.pgd + 0.15, $"PGD accuracy: plain {plain.pgd:P1}, adversarial {adversarial.pgd:P1}");
    }

    // ---- (b) the batch the loss sees ----

    [Fact]
    public void FgsmWithRatioOne_TheLossSeesXPlusEpsilonSignOfTheInputGradient_OfTheCurrentWeightsInEvalMode()
    {
        const double epsilon = 0.05;
        using var scope = NewDisposeScope();
        var (images, classes, _) = Data(12, 4);
        manual_seed(5);
        // Dropout 0.5: were the attack made in training mode, its gradient would differ from the eval-mode one below.
        using var network = new DirectClassifier(4, SyntheticShapes.NoneClass, Size, Tiny.Alex, 0.5, referenceInitialisation: false);
        network.train();
        var options = new DirectTrainingOptions { Adversarial = new AdversarialTrainingOptions { Attack = AdversarialTrainingAttack.Fgsm, Epsilon = epsilon, Ratio = 1 } };
        using var batch = new SampleBatch(images.clone(), classes.clone());

        var seen = TrainingBatchTransforms.Prepare(network, batch, options, new Random(1));

        Assert.True(network.training, "the network is back in training mode for the loss");
        Assert.All(network.parameters(), p => Assert.True(p.grad is null || p.grad.abs().max().ToDouble() == 0, "no parameter gradient accumulated"));
        Assert.False(seen.requires_grad);
        // Independently: plain autograd of the summed cross entropy through the network in eval mode.
        network.eval();
        var x = images.clone().requires_grad_(true);
        var loss = nn.functional.cross_entropy(network.call(x), classes, reduction: nn.Reduction.Sum);
        var gradient = autograd.grad(new[] { loss }, new[] { x })[0];
        var expected = (images + epsilon * gradient.sign()).clamp(0, 1);
        var difference = (seen - expected).abs().max().ToDouble();
        Assert.True(difference < 1e-6, $"max |seen − x − ε·sign(∇)| = {difference}");
        // And it is a real attack: most pixels moved by ε (a few were clipped or had a zero gradient).
        var moved = (seen - images).abs().ge(epsilon - 1e-6).to_type(ScalarType.Float32).mean().ToDouble();
        Assert.True(moved > 0.5, $"only {moved:P0} of the pixels moved by ε");
    }

    [Fact]
    public void Pgd_ReplacesRatioOfTheRows_InsideTheEpsilonBall_AndSparesNoneRowsWhenAsked()
    {
        const double epsilon = 6.0 / 255;
        using var scope = NewDisposeScope();
        var (images, classes, _) = Data(16, 8);
        manual_seed(6);
        using var network = new DirectClassifier(4, SyntheticShapes.NoneClass, Size, Tiny.Alex, 0.5, referenceInitialisation: false);
        using var batch = new SampleBatch(images.clone(), classes.clone());
        var labels = classes.data<long>().ToArray();

        long[] Changed(AdversarialTrainingOptions adversarial)
        {
            var seen = TrainingBatchTransforms.Prepare(network, batch, new DirectTrainingOptions { Adversarial = adversarial }, new Random(2));
            var delta = (seen - images).abs();
            Assert.True(delta.max().ToDouble() <= epsilon + 1e-6, $"a pixel moved {delta.max().ToDouble()} > ε");
            Assert.True(seen.min().ToDouble() >= 0 && seen.max().ToDouble() <= 1, "adversarial images stay in [0, 1]");
            return delta.flatten(1).amax(1).gt(0).nonzero().reshape(-1).data<long>().ToArray();
        }

        var half = Changed(new AdversarialTrainingOptions { Epsilon = epsilon, Steps = 3 });
        Assert.Equal(8, half.Length);
        var objectsOnly = Changed(new AdversarialTrainingOptions { Epsilon = epsilon, Steps = 3, Ratio = 1, AttackNoneRows = false });
        Assert.Equal(Enumerable.Range(0, 16).Where(i => labels[i] != SyntheticShapes.NoneClass).Select(i => (long)i), objectsOnly);
        var all = Changed(new AdversarialTrainingOptions { Epsilon = epsilon, Steps = 3, Ratio = 1 });
        Assert.Equal(16, all.Length);
    }

    // ---- (c) options ----

    [Theory]
    [InlineData("Epsilon", 0.0, "Epsilon is the L∞ radius")]
    [InlineData("Epsilon", 1.5, "must be in (0, 1]")]
    [InlineData("Epsilon", double.NaN, "Epsilon")]
    [InlineData("Ratio", 0.0, "Ratio is the fraction of each batch")]
    [InlineData("Ratio", 1.01, "must be in (0, 1]")]
    [InlineData("StepSize", -0.01, "StepSize (PGD's step α)")]
    [InlineData("Steps", 0.0, "Steps (PGD iterations) must be at least 1")]
    public void Validate_NamesTheFieldAndItsRange(string field, double value, string message)
    {
        var options = new AdversarialTrainingOptions();
        switch (field)
        {
            case "Epsilon": options.Epsilon = value; break;
            case "Ratio": options.Ratio = value; break;
            case "StepSize": options.StepSize = value; break;
            case "Steps": options.Steps = (int)value; break;
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(field, e.ParamName);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Validate_AcceptsTheDefaults_AndFgsmIgnoresThePgdFields()
    {
        var defaults = new AdversarialTrainingOptions();
        defaults.Validate();
        Assert.Equal((AdversarialTrainingAttack.Pgd, 8.0 / 255, 2.0 / 255, 7, true, 0.5, true),
            (defaults.Attack, defaults.Epsilon, defaults.StepSize, defaults.Steps, defaults.RandomStart, defaults.Ratio, defaults.AttackNoneRows));
        new AdversarialTrainingOptions { Attack = AdversarialTrainingAttack.Fgsm, Steps = 0, StepSize = 0 }.Validate();
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => new AdversarialTrainingOptions { Attack = (AdversarialTrainingAttack)7 }.Validate());
        Assert.Equal("Attack", unknown.ParamName);
        // Grey-level images: ε up to 255.
        new AdversarialTrainingOptions { Range = InputRange.Grey, Epsilon = 8, StepSize = 2 }.Validate();
    }

    [Fact]
    public void Training_RefusesBadOptions_BeforeTheFirstIteration()
    {
        using var source = Source(8, 1);
        using var network = new DirectClassifier(4, SyntheticShapes.NoneClass, Size, Tiny.Alex);
        var bad = Training(5, 4, new AdversarialTrainingOptions { Ratio = 2 });
        Assert.Equal("Ratio", Assert.Throws<ArgumentOutOfRangeException>(() => DirectTraining.Train(network, source, bad)).ParamName);
        // Images outside the declared range: refused, naming the option to set.
        using (var scope = NewDisposeScope())
        {
            var (images, classes, _, _, _) = SyntheticShapes.Tensors(SyntheticShapes.Rows(8, Size, 1), Size);
            using var unclipped = new TensorSampleSource(images, classes, 4, SyntheticShapes.NoneClass);
            var range = Assert.Throws<InvalidOperationException>(() => DirectTraining.Train(network, unclipped, Training(5, 8, new AdversarialTrainingOptions { Ratio = 1 })));
            Assert.Contains("outside AdversarialTrainingOptions.Range [0, 1]", range.Message);
        }
        var crop = Training(5, 4, null);
        crop.Augmentations = new ImageAugmentation[] { new CropAugmentation(20, 20) };
        var e = Assert.Throws<ArgumentException>(() => DirectTraining.Train(network, source, crop));
        Assert.Contains("must keep the network's input size", e.Message);
    }

    // ---- (d) determinism ----

    private static DirectTrainingOptions Repeatable(string? folder = null, CancellationToken cancel = default, Action<TrainingProgress>? progress = null)
    {
        var o = Training(8, 8, new AdversarialTrainingOptions { Steps = 3, Ratio = 0.75 }, seed: 17);
        o.Augmentations = new ImageAugmentation[] { new ShiftAugmentation(2), new GaussianNoiseAugmentation(0.02) };
        o.CheckpointDirectory = folder;
        o.CheckpointInterval = 2;
        o.CancellationToken = cancel;
        o.Progress = progress;
        o.ProgressInterval = 1;
        return o;
    }

    private static DirectClassifier RepeatableNetwork()
    {
        manual_seed(42);
        // Dropout on: the loss's forward pass draws from libtorch's generator, which the runner reseeds every iteration.
        return new DirectClassifier(4, SyntheticShapes.NoneClass, Size, Tiny.Alex, 0.5, referenceInitialisation: false);
    }

    [Fact]
    public void SameSeed_GivesIdenticalWeights_AndAnotherSeedDoesNot()
    {
        Dictionary<string, float[]> Run(int seed)
        {
            using var source = Source(24, 3);
            using var network = RepeatableNetwork();
            var options = Repeatable();
            options.Seed = seed;
            DirectTraining.Train(network, source, options);
            return Weights(network);
        }

        var first = Run(17);
        var second = Run(17);
        foreach (var (key, values) in first) Assert.True(values.SequenceEqual(second[key]), $"weights '{key}' differ between two runs of one seed");
        var other = Run(18);
        Assert.Contains(first, p => !p.Value.SequenceEqual(other[p.Key]));
    }

    [Fact]
    public void StoppedAndResumed_EqualsUninterrupted()
    {
        Dictionary<string, float[]> expected;
        using (var source = Source(24, 3))
        using (var network = RepeatableNetwork())
        {
            DirectTraining.Train(network, source, Repeatable());
            expected = Weights(network);
        }

        using var folder = new TempFolder();
        using (var source = Source(24, 3))
        using (var network = RepeatableNetwork())
        using (var cancel = new CancellationTokenSource())
        {
            var options = Repeatable(folder.Path, cancel.Token, p => { if (p.Iteration == 5) cancel.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => DirectTraining.Train(network, source, options));
        }
        var reports = new List<int>();
        using (var source = Source(24, 3))
        using (var network = RepeatableNetwork())
        {
            DirectTraining.Train(network, source, Repeatable(folder.Path, progress: p => reports.Add(p.Iteration)));
            var actual = Weights(network);
            foreach (var (key, values) in expected) Assert.True(values.SequenceEqual(actual[key]), $"weights '{key}' differ after resuming");
        }
        // Resumed from the checkpoint of iteration 4, not from the start.
        Assert.Equal(5, reports[0]);
    }

    [Fact]
    public void AdversarialTraining_LeavesNoTensorsBehind()
    {
        static long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long LiveAfterTraining(int iterations)
        {
            var start = Live();
            using (var source = Source(24, 5))
            using (var network = new DirectClassifier(4, SyntheticShapes.NoneClass, Size, Tiny.Alex, 0.5))
            {
                var options = Training(iterations, 8, new AdversarialTrainingOptions { Steps = 2 });
                options.Augmentations = new ImageAugmentation[] { new GaussianNoiseAugmentation(0.01) };
                DirectTraining.Train(network, source, options);
            }
            return Live() - start;
        }
        LiveAfterTraining(2);
        Assert.Equal(LiveAfterTraining(3), LiveAfterTraining(30));
    }

    // ---- augmentation of training batches ----

    [Fact]
    public void Augment_TransformsEachRowAsTheAugmentationDoes_FromTheRowsOwnStream()
    {
        using var scope = NewDisposeScope();
        var rows = SyntheticShapes.Rows(5, Size, 9);
        var (images, _, _, _, _) = SyntheticShapes.Tensors(rows, Size);
        var shift = new ShiftAugmentation(3);
        var augmented = TrainingBatchTransforms.Augment(images, new ImageAugmentation[] { shift }, 123).data<float>().ToArray();
        var streamSeed = SeedMix.Mix(123, 0);
        for (var i = 0; i < rows.Length; i++)
        {
            var expected = shift.Apply(rows[i].Image, new[] { 1, Size, Size }, streamSeed, i);
            Assert.Equal(expected, augmented.AsSpan(i * Size * Size, Size * Size).ToArray());
        }
        Assert.NotEqual(rows.SelectMany(r => r.Image).ToArray(), augmented);
    }

    // ---- the ML.NET trainers ----

    [Fact]
    public void MLNetTrainers_TrainAdversarially_WithThePoseHead_AndLeaveTheCallersOptionsAsGiven()
    {
        var ml = new MLContext(1);
        var rows = SyntheticShapes.Rows(32, Size, 13);
        foreach (var row in rows) row.Image = row.Image.Select(v => Math.Clamp(v, 0f, 1f)).ToArray();
        var data = SyntheticShapes.DataView(ml, rows, Size);
        var train = ml.Transforms.CopyColumns("Features", "Image").Fit(data).Transform(data);
        var adversarial = new AdversarialTrainingOptions { Attack = AdversarialTrainingAttack.Fgsm, Ratio = 1 };
        var losses = new List<double>();
        var options = new DirectWithParametersTrainer.Options
        {
            Widths = Tiny.Alex, Seed = 4, Adversarial = adversarial, Augmentations = new ImageAugmentation[] { new GaussianNoiseAugmentation(0.01) },
            Classifier = { Iterations = 6, BatchSize = 8 }, Progress = p => losses.Add(p.Loss), ProgressInterval = 1,
        };
        using (var model = ml.MulticlassClassification.Trainers.DirectWithParameters(options).Fit(train))
        {
            Assert.Equal(3, model.Classifier.NoneClassIndex);
            Assert.Equal(32, ml.Data.CreateEnumerable<ScoredRow>(model.Transform(train), reuseRowObject: false).Count());
        }
        Assert.Equal(6, losses.Count(double.IsFinite));
        Assert.Same(adversarial, options.Adversarial);
        Assert.Null(options.Device);

        // A bad ε is refused when the trainer is made, naming the field.
        var bad = new DirectClassifierTrainer.Options { Adversarial = new AdversarialTrainingOptions { Epsilon = -1 } };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.DirectClassifier(bad));
        Assert.Equal("Epsilon", e.ParamName);
    }

    private sealed class ScoredRow
    {
        public float[] Score = Array.Empty<float>();
    }
}
