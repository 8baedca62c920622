using MLRobust.Attacks;
using MLRobust.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Tests.Infrastructure;
using MLRobust.Trainers;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>A classifier written with plain TorchSharp in the test (no MLRobust type in it) is attacked by every attack,
/// with its own input range and class names, and is trained, scored, saved and loaded by the direct-classifier trainer in
/// place of AlexNet-small.</summary>
[Collection(SeededTorchCollection.Name)]
public class BringYourOwnModelTests
{
    private static readonly string[] Names = { "disc", "square", "triangle", "None" };

    /// <summary>A user's CNN: grey images [N, 1, S, S] in 0-255 → logits [N, 4].</summary>
    private sealed class UserCnn : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv1, conv2, fc;
        private readonly double inputScale;

        public UserCnn(int size, double inputScale = 1.0 / 255) : base(nameof(UserCnn))
        {
            conv1 = nn.Conv2d(1, 8, 3, padding: 1);
            conv2 = nn.Conv2d(8, 16, 3, padding: 1);
            fc = nn.Linear(16 * (size / 4) * (size / 4), 4);
            this.inputScale = inputScale;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = nn.functional.max_pool2d(nn.functional.relu(conv1.call(x * inputScale)), 2);
            h = nn.functional.max_pool2d(nn.functional.relu(conv2.call(h)), 2);
            return fc.call(h.flatten(1)).MoveToOuterDisposeScope();
        }
    }

    [Fact]
    public void EveryAttack_TakesAUsersModule_WithItsRangeAndClassNames()
    {
        const int size = 16, n = 6;
        manual_seed(5);
        using var net = new UserCnn(size);
        var target = AttackTarget.FromModule(net, Names, InputRange.Grey, noneClassName: "None");
        Assert.Equal(4, target.ClassCount);
        Assert.Equal(3, target.NoneClass);
        Assert.Equal(Names, target.ClassNames);
        Assert.Equal(InputRange.Grey, target.Range);

        using var scope = NewDisposeScope();
        var rows = SyntheticShapes.Rows(n, size, 3);
        var images = tensor(rows.SelectMany(r => r.Image.Select(v => Math.Clamp(v, 0f, 1f) * 255f)).ToArray(), new long[] { n, 1, size, size });
        var labels = tensor(rows.Select(r => (long)r.Label - 1).ToArray());
        var attacks = new Attack[]
        {
            new Fgsm(target, new FgsmOptions { Epsilon = 16 }),
            new IterativeFgsm(target, new IterativeFgsmOptions { MaxSteps = 60 }),
            new Bim(target, new BimOptions { Epsilon = 16 }),
            new MiFgsm(target, new MiFgsmOptions { Epsilon = 16 }),
            new Pgd(target, new PgdOptions { Epsilon = 16, Seed = 1 }),
            new DeepFool(target, new DeepFoolOptions { MaxIterations = 20 }),
            new CarliniWagnerL2(target, new CarliniWagnerL2Options { BinarySearchSteps = 2, MaxIterations = 30, InitialConstant = 10, LearningRate = 5 }),
            new Jsma(target, new JsmaOptions { Target = TargetSelection.NextClass }),
            new OnePixel(target, new OnePixelOptions { Population = 40, Generations = 5, Seed = 3 }),
        };
        foreach (var attack in attacks)
        {
            // The images are in 0-255 and no option names a range: the attack takes the model's.
            Assert.Equal(InputRange.Grey, attack.Range);
            using var result = attack.Run(images, labels);
            Assert.Equal(new long[] { n, 1, size, size }, result.Adversarial.shape);
            Assert.InRange(result.Adversarial.min().ToSingle(), 0f, 255f);
            Assert.InRange(result.Adversarial.max().ToSingle(), 0f, 255f);
            // What the attack reports is what the user's module predicts on the adversarial images.
            using (no_grad())
            {
                net.eval();
                var predicted = net.call(result.Adversarial).argmax(1).data<long>().ToArray();
                Assert.Equal(predicted, result.Predictions);
            }
            Assert.True(result.Success.Any(s => s) || attack is OnePixel, $"{attack.Name} fooled none of the {n} images");
        }

        // The gradient attacks changed the user's images by gradient steps of the user's network.
        using var fgsm = new Fgsm(target, new FgsmOptions { Epsilon = 16 }).Run(images, labels);
        Assert.True((fgsm.Adversarial - images).abs().max().ToSingle() > 15.9f);

        // An attack whose options contradict the model's declared range is refused, naming both.
        var error = Assert.Throws<ArgumentException>(() => new Fgsm(target, new FgsmOptions { Range = InputRange.Unit }));
        Assert.Contains("[0, 255]", error.Message);
        Assert.Contains("[0, 1]", error.Message);
        // Images outside the declared range are refused.
        Assert.Throws<ArgumentException>(() => new Fgsm(target).Run(images + 300, labels));
    }

    [Fact]
    public void DirectClassifierTrainer_TrainsScoresSavesAndLoads_AUsersNetwork()
    {
        const int size = 24;
        var ml = new MLContext(2);
        var train = SyntheticShapes.DataView(ml, SyntheticShapes.Rows(320, size, 10), size);
        var test = SyntheticShapes.DataView(ml, SyntheticShapes.Rows(80, size, 20), size);
        manual_seed(7);
        var net = new UserCnn(size, inputScale: 1.0);
        var options = new DirectClassifierTrainer.Options
        {
            FeatureColumnName = "Image", Network = net, NetworkName = "test-user-cnn",
            Classifier = { Iterations = 150, BatchSize = 32 },
        };
        using var model = ml.MulticlassClassification.Trainers.DirectClassifier(options).Fit(train);
        var direct = Assert.IsType<DirectClassifier>(model.Classifier);
        Assert.Equal("test-user-cnn", direct.CustomNetworkName);
        Assert.Null(direct.Widths);

        var scored = model.Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.6, $"accuracy {metrics.MicroAccuracy} (chance 0.25)");
        // The Score column is the softmax of the user's own network's logits.
        var scores = scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToList();
        var images = test.GetColumn<VBuffer<float>>("Image").Select(v => v.DenseValues().ToArray()).ToList();
        using (no_grad())
        {
            net.eval();
            var x = tensor(images.SelectMany(i => i).ToArray(), new long[] { images.Count, 1, size, size });
            var expected = nn.functional.softmax(net.call(x), 1).data<float>().ToArray();
            AttackTestSupport.Close(expected, scores.SelectMany(s => s).ToArray(), 1e-5, "softmax of the user's logits");
        }

        using var folder = new TempFolder();
        ml.Model.Save(model, train.Schema, folder.File("user.zip"));
        // Loading needs the network's code: without a registration, a clear error names it.
        var missing = Assert.ThrowsAny<Exception>(() => Registered(1).Model.Load(folder.File("user.zip"), out _));
        Assert.Contains("test-user-cnn", AllMessages(missing));
        Assert.Contains("CustomNetworks.Register", AllMessages(missing));

        CustomNetworks.Register("test-user-cnn", () => new UserCnn(size, inputScale: 1.0));
        var loaded = Registered(1).Model.Load(folder.File("user.zip"), out _);
        var again = loaded.Transform(test).GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()).ToList();
        Assert.Equal(scores, again);
        (loaded as IDisposable)?.Dispose();
    }

    [Fact]
    public void AUsersNetworkWithTheWrongOutputShape_IsNamedInTheError()
    {
        const int size = 24;
        var ml = new MLContext(2);
        var train = SyntheticShapes.DataView(ml, SyntheticShapes.Rows(16, size, 10), size);
        var wrong = nn.Sequential(("flat", nn.Flatten()), ("fc", nn.Linear(size * size, 3)));
        var options = new DirectClassifierTrainer.Options { FeatureColumnName = "Image", Network = wrong, NetworkName = "three-outputs", Classifier = { Iterations = 2, BatchSize = 8 } };
        var error = Assert.Throws<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.DirectClassifier(options).Fit(train));
        Assert.Contains("three-outputs", error.Message);
        Assert.Contains("[8, 4]", error.Message);
        // DirectWithParameters needs its pose head: it refuses a network of the user's.
        Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.DirectWithParameters(new DirectWithParametersTrainer.Options { Network = wrong }));
    }

    private static string AllMessages(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + AllMessages(e.InnerException);

    /// <summary>A fresh context that can read MLRobust's components, as a loading application makes it.</summary>
    private static MLContext Registered(int seed)
    {
        var ml = new MLContext(seed);
        ml.ComponentCatalog.RegisterMLRobust();
        return ml;
    }

}
