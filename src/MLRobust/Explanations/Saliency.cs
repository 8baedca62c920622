using MLRobust.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Explanations;

/// <summary>The gradient saliency methods.</summary>
public enum SaliencyMethod
{
    /// <summary>The gradient of the explained output with respect to the input (Simonyan et al. 2014).</summary>
    Gradient,

    /// <summary>The gradient averaged over noisy copies of the input (Smilkov et al. 2017).</summary>
    SmoothGrad,

    /// <summary>(x − baseline) times the gradient averaged along the straight path from the baseline to x (Sundararajan
    /// et al. 2017): the attributions add up to f(x) − f(baseline).</summary>
    IntegratedGradients,
}

/// <summary>How a saliency heat map folds the channels of the attributions into one value per pixel.</summary>
public enum SaliencyChannelReduction
{
    /// <summary>The sum over channels (keeps the sign and the completeness of integrated gradients).</summary>
    Sum,

    /// <summary>The largest magnitude over channels (Simonyan et al.); non-negative.</summary>
    AbsMax,
}

/// <summary>Settings of <see cref="Saliency"/>.</summary>
public sealed class SaliencyOptions : ExplanationOptions
{
    /// <summary>Creates the settings; the explained output defaults to the evidence (the logit), the usual target of gradient saliency.</summary>
    public SaliencyOptions() => Output = ExplainedOutput.Evidence;

    /// <summary>The method; default the plain gradient.</summary>
    public SaliencyMethod Method = SaliencyMethod.Gradient;

    /// <summary>SmoothGrad: noisy copies per image; default 25.</summary>
    public int Samples = 25;

    /// <summary>SmoothGrad: σ of the Gaussian noise as a fraction of the input range's width; default 0.15. The noisy
    /// copies are not clipped to the range (as in the paper).</summary>
    public double NoiseLevel = 0.15;

    /// <summary>Integrated gradients: points of the midpoint Riemann sum along the path; default 50.</summary>
    public int Steps = 50;

    /// <summary>Integrated gradients: the value of every baseline pixel; default 0 (a black image on [0, 1]).</summary>
    public float BaselineValue;

    /// <summary>How channels fold into one value per pixel; default the sum.</summary>
    public SaliencyChannelReduction ChannelReduction = SaliencyChannelReduction.Sum;

    /// <summary>Heat map of magnitudes (|value| per pixel, after the channel reduction) instead of signed values.</summary>
    public bool Absolute;

    private protected override void ValidateMore()
    {
        if (!Enum.IsDefined(Method)) throw new ArgumentOutOfRangeException(nameof(Method), Method, "Unknown saliency method.");
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Samples must be at least 1.");
        if (!(NoiseLevel >= 0) || !double.IsFinite(NoiseLevel)) throw new ArgumentOutOfRangeException(nameof(NoiseLevel), NoiseLevel, "NoiseLevel must be finite and non-negative.");
        if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be at least 1.");
        if (!float.IsFinite(BaselineValue)) throw new ArgumentOutOfRangeException(nameof(BaselineValue), BaselineValue, "BaselineValue must be finite.");
        if (!Enum.IsDefined(ChannelReduction)) throw new ArgumentOutOfRangeException(nameof(ChannelReduction), ChannelReduction, "Unknown channel reduction.");
    }
}

/// <summary>
/// Gradient saliency: the plain input gradient, SmoothGrad or integrated gradients of the explained class's output
/// (<see cref="ExplanationOptions.Output"/>; the logit by default). Every model input (an image, a noisy copy, a point of
/// the integration path) of the whole batch goes through the model and autograd together,
/// <see cref="ExplanationOptions.BatchSize"/> at a time. The model must treat the images of a batch independently
/// (evaluation mode): each image's gradient is the gradient of the batch's summed outputs.
/// </summary>
public sealed class Saliency : Explainer
{
    /// <summary>Saliency over <paramref name="model"/> with <paramref name="options"/> (null: the plain gradient).</summary>
    public Saliency(IAttackTarget model, SaliencyOptions? options = null) : base(model, options ??= new SaliencyOptions()) => Options = options;

    /// <summary>The settings.</summary>
    public SaliencyOptions Options { get; }

    /// <inheritdoc />
    public override string Name => Options.Method.ToString();

    /// <inheritdoc />
    public override SaliencyExplanation Explain(Tensor images, Tensor? classes = null, long[]? sampleIds = null)
    {
        var (n, c, h, w) = CheckImages(images, classes, sampleIds);
        var ids = Ids(sampleIds, n);
        var explained = ClassesToExplain(images, classes);
        var size = c * h * w;
        var attributions = new float[n * size];
        var outputs = new double[n];
        var baselineOutputs = Enumerable.Repeat(double.NaN, n).ToArray();
        using (var scope = NewDisposeScope())
        {
            var x = images.detach();
            var labels = tensor(explained, device: x.device);
            switch (Options.Method)
            {
                case SaliencyMethod.Gradient:
                    Accumulate(n, 1, (start, count) => (x.narrow(0, start, count), labels.narrow(0, start, count), null), attributions, 1);
                    break;
                case SaliencyMethod.SmoothGrad:
                    SmoothGrad(x, labels, ids, attributions);
                    break;
                case SaliencyMethod.IntegratedGradients:
                    IntegratedGradients(x, labels, attributions);
                    using (no_grad())
                    {
                        var baseline = full_like(x, HeldScalars.Held(Options.BaselineValue));
                        Read(Selected(baseline, labels), baselineOutputs);
                    }
                    break;
            }
            using (no_grad()) Read(Selected(x, labels), outputs);
        }

        var heatMaps = new float[n][];
        var perImage = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var a = perImage[i] = attributions.AsSpan(i * size, size).ToArray();
            heatMaps[i] = HeatMap(a, c, h * w, Options.ChannelReduction, Options.Absolute);
        }
        return new SaliencyExplanation(h, w, c, heatMaps, explained, perImage, outputs, baselineOutputs);
    }

    /// <summary>SmoothGrad: each image's <see cref="SaliencyOptions.Samples"/> noisy copies, noise drawn from the image's own
    /// seeded stream (the same whatever batch the image is in).</summary>
    private void SmoothGrad(Tensor x, Tensor labels, long[] ids, float[] attributions)
    {
        var n = (int)x.size(0);
        var size = (int)(x.numel() / n);
        var samples = Options.Samples;
        var sigma = Options.NoiseLevel * Range.Width;
        var noise = new float[n][];
        for (var i = 0; i < n; i++)
        {
            var random = new SampleRandom(unchecked(Options.Seed * 31 + 7), ids[i]);
            random.Gaussian(noise[i] = new float[samples * size]);
        }
        Accumulate(n, samples, (start, count) =>
        {
            var which = Enumerable.Range(start, count).Select(j => (long)(j / samples)).ToArray();
            var block = new float[count * size];
            for (var k = 0; k < count; k++)
            {
                var (i, s) = Math.DivRem(start + k, samples);
                noise[i].AsSpan(s * size, size).CopyTo(block.AsSpan(k * size, size));
            }
            var index = tensor(which, device: x.device);
            var shape = x.shape.ToArray();
            shape[0] = count;
            var points = x.index_select(0, index) + tensor(block, shape, device: x.device).to_type(x.dtype) * sigma;
            return (points, labels.index_select(0, index), null);
        }, attributions, 1.0 / samples);
    }

    /// <summary>Integrated gradients by the midpoint rule: points b + (k + ½)/m · (x − b), k = 0 … m − 1; the averaged
    /// gradient times (x − b).</summary>
    private void IntegratedGradients(Tensor x, Tensor labels, float[] attributions)
    {
        var n = (int)x.size(0);
        var steps = Options.Steps;
        var baseline = full_like(x, HeldScalars.Held(Options.BaselineValue));
        var difference = x - baseline;
        Accumulate(n, steps, (start, count) =>
        {
            var which = Enumerable.Range(start, count).Select(j => (long)(j / steps)).ToArray();
            var alphas = Enumerable.Range(start, count).Select(j => (float)((j % steps + 0.5) / steps)).ToArray();
            var index = tensor(which, device: x.device);
            var alpha = tensor(alphas, device: x.device).to_type(x.dtype).reshape(count, 1, 1, 1);
            var points = baseline.index_select(0, index) + alpha * difference.index_select(0, index);
            return (points, labels.index_select(0, index), difference.index_select(0, index));
        }, attributions, 1.0 / steps);
    }

    /// <summary>Runs <paramref name="perImage"/> model inputs per image through the model and autograd in chunks of
    /// <see cref="ExplanationOptions.BatchSize"/>; adds scale · gradient (times the optional factor) to each image's
    /// attributions. <paramref name="chunk"/> makes the inputs start … start + count − 1 (image-major).</summary>
    private void Accumulate(int n, int perImage, Func<int, int, (Tensor Points, Tensor Labels, Tensor? Factor)> chunk, float[] attributions, double scale)
    {
        var total = n * perImage;
        var size = attributions.Length / n;
        var sums = new double[attributions.Length];
        for (var start = 0; start < total; start += Options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(Options.BatchSize, total - start);
            var (points, labels, factor) = chunk(start, count);
            var input = points.detach().requires_grad_(true);
            Tensor gradient;
            using (enable_grad())
            {
                var selected = Selected(input, labels);
                gradient = autograd.grad(new[] { selected.sum() }, new[] { input })[0]!;
            }
            if (factor is not null) gradient = gradient * factor;
            var values = gradient.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
            for (var k = 0; k < count; k++)
            {
                var offset = (start + k) / perImage * size;
                for (var j = 0; j < size; j++) sums[offset + j] += values[k * size + j];
            }
        }
        for (var j = 0; j < sums.Length; j++) attributions[j] = (float)(sums[j] * scale);
    }

    /// <summary>[N] explained output of each image's class.</summary>
    private Tensor Selected(Tensor images, Tensor labels) =>
        ExplainedOutputs.Compute(Model, images, Options.Output).gather(1, labels.unsqueeze(1)).squeeze(1);

    private static void Read(Tensor values, double[] destination) =>
        values.detach().cpu().to_type(ScalarType.Float64).data<double>().CopyTo(destination);

    internal static float[] HeatMap(ReadOnlySpan<float> attribution, int channels, int pixels, SaliencyChannelReduction reduction, bool absolute)
    {
        var map = new float[pixels];
        for (var p = 0; p < pixels; p++)
        {
            var value = 0f;
            for (var c = 0; c < channels; c++)
            {
                var a = attribution[c * pixels + p];
                value = reduction == SaliencyChannelReduction.Sum ? value + a : Math.Max(value, Math.Abs(a));
            }
            map[p] = absolute ? Math.Abs(value) : value;
        }
        return map;
    }
}
