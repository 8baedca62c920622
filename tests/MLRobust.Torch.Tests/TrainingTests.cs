using MLRobust.Torch.Modules;
using static MLRobust.Torch.torch;
using F = MLRobust.Torch.torch.nn.functional;

namespace MLRobust.Torch.Tests;

/// <summary>End-to-end training on CPU: a small CNN learns a separable synthetic image task, and
/// the same seed gives bit-identical weights.</summary>
public class TrainingTests
{
    private const int Size = 16;

    /// <summary>16×16 Gaussian noise with a bright blob in the left (label 0) or right (label 1) half.</summary>
    private static (Tensor images, Tensor labels) BlobTask(int count, int seed)
    {
        var rng = new Random(seed);
        var pixels = new float[count * Size * Size];
        var labels = new long[count];
        for (var n = 0; n < count; n++)
        {
            var label = rng.Next(2);
            labels[n] = label;
            var cx = label == 0 ? 2 + rng.NextDouble() * 4 : 10 + rng.NextDouble() * 4;
            var cy = 2 + rng.NextDouble() * 12;
            for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
            {
                // Box-Muller noise, σ = 0.5, plus a blob of height 1.5 and radius ~1.5 pixels.
                var noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()) * 0.5;
                var blob = 1.5 * Math.Exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * 1.5 * 1.5));
                pixels[(n * Size + y) * Size + x] = (float)(noise + blob);
            }
        }
        return (tensor(pixels, new long[] { count, 1, Size, Size }), tensor(labels));
    }

    private static Sequential SmallCnn() => nn.Sequential(
        ("conv1", nn.Conv2d(1, 8, 3, padding: 1)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
        ("conv2", nn.Conv2d(8, 16, 3, padding: 1)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
        ("flatten", nn.Flatten()), ("fc", nn.Linear(16 * 4 * 4, 2)));

    /// <summary>Trains for the given number of epochs with Adam and a cosine schedule, every step in
    /// its own dispose scope, and returns the model.</summary>
    private static Sequential Train(Tensor images, Tensor labels, int epochs, int batchSize, long seed)
    {
        manual_seed(seed);
        var model = SmallCnn();
        using var optimizer = optim.Adam(model.parameters(), 0.01);
        var scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs);
        var count = images.shape[0];
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            model.train();
            using var order = randperm(count);
            for (long start = 0; start < count; start += batchSize)
            {
                using var step = NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(batchSize, count - start));
                var x = images.index_select(0, index);
                var y = labels.index_select(0, index);
                optimizer.zero_grad();
                var loss = F.cross_entropy(model.call(x), y);
                loss.backward();
                optimizer.step();
            }
            scheduler.step();
        }
        return model;
    }

    private static double Accuracy(Sequential model, Tensor images, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        model.eval();
        var predicted = model.call(images).argmax(1);
        return predicted.eq(labels).to_type(ScalarType.Float32).mean().item<float>();
    }

    [Fact]
    public void SmallCnnLearnsLeftVersusRightBlobs()
    {
        var (trainX, trainY) = BlobTask(512, 1);
        var (testX, testY) = BlobTask(256, 2);
        using (trainX)
        using (trainY)
        using (testX)
        using (testY)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var model = Train(trainX, trainY, epochs: 4, batchSize: 32, seed: 7);
            var accuracy = Accuracy(model, testX, testY);
            Assert.True(accuracy > 0.95, $"test accuracy {accuracy:P1} after {watch.Elapsed.TotalSeconds:F1} s");
        }
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        var (x, y) = BlobTask(96, 3);
        using (x)
        using (y)
        {
            using var first = Train(x, y, epochs: 2, batchSize: 16, seed: 11);
            using var second = Train(x, y, epochs: 2, batchSize: 16, seed: 11);
            using var other = Train(x, y, epochs: 2, batchSize: 16, seed: 12);
            var a = first.state_dict();
            var b = second.state_dict();
            var c = other.state_dict();
            Assert.Equal(a.Keys, b.Keys);
            foreach (var key in a.Keys)
                Assert.True(a[key].bytes.AsSpan().SequenceEqual(b[key].bytes), $"'{key}' differs between two runs with the same seed");
            Assert.False(a["fc.weight"].bytes.AsSpan().SequenceEqual(c["fc.weight"].bytes), "a different seed should give different weights");
        }
    }
}
