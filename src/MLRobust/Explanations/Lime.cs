using MLRobust.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Explanations;

/// <summary>What LIME puts in place of a superpixel it switches off.</summary>
public enum HiddenSuperpixelFill
{
    /// <summary>The image's mean value (per channel).</summary>
    ImageMean,

    /// <summary>The superpixel's own mean value (per channel): LIME's default (<c>hide_color=None</c>).</summary>
    SuperpixelMean,

    /// <summary><see cref="LimeOptions.HiddenValue"/> (e.g. 0, black on a [0, 1] image).</summary>
    Value,
}

/// <summary>Settings of <see cref="Lime"/>; the defaults are LIME's for images (and Flores's tutorial's).</summary>
public sealed class LimeOptions : ExplanationOptions
{
    /// <summary>Perturbed images per explained image, the first with every superpixel on; default 150.</summary>
    public int Samples = 150;

    /// <summary>Width w of the kernel over the cosine distance d of a mask to the all-on mask; a sample's weight is
    /// √exp(−d²/w²) = exp(−d²/(2w²)), LIME's kernel. Default 0.25, LIME's for images.</summary>
    public double KernelWidth = 0.25;

    /// <summary>The superpixels the top mask keeps; default 5 (LIME's <c>num_features</c> for image masks).</summary>
    public int TopSuperpixels = 5;

    /// <summary>True (default, as LIME's <c>positive_only</c>): the top superpixels are those with the largest positive
    /// weights; false: the largest weights in magnitude, either sign.</summary>
    public bool PositiveOnly = true;

    /// <summary>Ridge penalty α of the weighted linear fit (the intercept is not penalised); default 1, LIME's
    /// <c>Ridge(alpha=1)</c>. 0: plain weighted least squares.</summary>
    public double Regularization = 1;

    /// <summary>How the superpixels are made; default quickshift with LIME's settings.</summary>
    public ISuperpixelSegmenter Segmenter = new QuickshiftSegmenter();

    /// <summary>What replaces a switched-off superpixel; default the image's mean.</summary>
    public HiddenSuperpixelFill Fill = HiddenSuperpixelFill.ImageMean;

    /// <summary>The value of switched-off pixels when <see cref="Fill"/> is <see cref="HiddenSuperpixelFill.Value"/>.</summary>
    public float HiddenValue;

    private protected override void ValidateMore()
    {
        if (Samples < 2) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "LIME needs at least 2 samples.");
        if (!(KernelWidth > 0) || !double.IsFinite(KernelWidth)) throw new ArgumentOutOfRangeException(nameof(KernelWidth), KernelWidth, "KernelWidth must be finite and positive.");
        if (TopSuperpixels < 1) throw new ArgumentOutOfRangeException(nameof(TopSuperpixels), TopSuperpixels, "TopSuperpixels must be at least 1.");
        if (!(Regularization >= 0) || !double.IsFinite(Regularization)) throw new ArgumentOutOfRangeException(nameof(Regularization), Regularization, "Regularization must be finite and non-negative.");
        ArgumentNullException.ThrowIfNull(Segmenter, nameof(Segmenter));
        if (!Enum.IsDefined(Fill)) throw new ArgumentOutOfRangeException(nameof(Fill), Fill, "Unknown fill.");
        if (!float.IsFinite(HiddenValue)) throw new ArgumentOutOfRangeException(nameof(HiddenValue), HiddenValue, "HiddenValue must be finite.");
    }
}

/// <summary>
/// LIME for images (Ribeiro et al. 2016, as Flores uses it): split the image into superpixels, draw random on/off masks
/// over them (the first all on), predict every perturbed image (off superpixels filled, <see cref="LimeOptions.Fill"/>),
/// weight each sample by a kernel of its mask's cosine distance to the all-on mask, and fit a weighted ridge regression of
/// the explained class's output on the masks. Each superpixel's coefficient is its weight; the heat map gives every pixel
/// its superpixel's weight. Perturbed images of all the batch's images go through the model together,
/// <see cref="ExplanationOptions.BatchSize"/> at a time, without gradients.
/// </summary>
public sealed class Lime : Explainer
{
    /// <summary>LIME over <paramref name="model"/> with <paramref name="options"/> (null: defaults).</summary>
    public Lime(IAttackTarget model, LimeOptions? options = null) : base(model, options ??= new LimeOptions()) => Options = options;

    /// <summary>The settings.</summary>
    public LimeOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "LIME";

    /// <inheritdoc />
    public override LimeExplanation Explain(Tensor images, Tensor? classes = null, long[]? sampleIds = null)
    {
        var (n, c, h, w) = CheckImages(images, classes, sampleIds);
        var ids = Ids(sampleIds, n);
        var given = classes is null ? null : ClassesToExplain(images, classes);
        var pixels = h * w;
        var size = c * pixels;
        var values = Floats(images);
        var range = Range;
        var samples = Options.Samples;

        var segmentations = new Segmentation[n];
        var masks = new bool[n][];
        var hidden = new float[n * size];
        for (var i = 0; i < n; i++)
        {
            var image = values.AsSpan(i * size, size);
            var s = segmentations[i] = Options.Segmenter.Segment(image, c, h, w, range);
            if (s.Height != h || s.Width != w)
                throw new InvalidOperationException($"The segmenter returned a {s.Height}x{s.Width} segmentation for a {h}x{w} image.");
            masks[i] = DrawMasks(samples, s.Count, Options.Seed, ids[i]);
            Fill(image, c, pixels, s, hidden.AsSpan(i * size, size));
        }

        // Outputs of every perturbed image: [N · samples, K], image-major.
        var classCount = Model.ClassCount;
        var outputs = new float[n * samples * classCount];
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var x = images.detach();
            var filled = tensor(hidden, new long[] { n, c, h, w }, device: x.device).to_type(x.dtype);
            var total = n * samples;
            for (var start = 0; start < total; start += Options.BatchSize)
            {
                using var chunkScope = NewDisposeScope();
                var count = Math.Min(Options.BatchSize, total - start);
                var which = new long[count];
                var pixelMask = new float[count * pixels];
                for (var k = 0; k < count; k++)
                {
                    var (i, s) = Math.DivRem(start + k, samples);
                    which[k] = i;
                    var on = masks[i].AsSpan(s * segmentations[i].Count, segmentations[i].Count);
                    var labels = segmentations[i].LabelSpan;
                    var row = pixelMask.AsSpan(k * pixels, pixels);
                    for (var p = 0; p < pixels; p++) row[p] = on[labels[p]] ? 1f : 0f;
                }
                var index = tensor(which, device: x.device);
                var m = tensor(pixelMask, new long[] { count, 1, h, w }, device: x.device).to_type(x.dtype);
                var xs = x.index_select(0, index);
                var fs = filled.index_select(0, index);
                var perturbed = fs + (xs - fs) * m;
                var y = ExplainedOutputs.Compute(Model, perturbed, Options.Output);
                y.cpu().to_type(ScalarType.Float32).data<float>().CopyTo(outputs.AsSpan(start * classCount, count * classCount));
            }
        }

        var explained = new long[n];
        var heatMaps = new float[n][];
        var weights = new double[n][];
        var intercepts = new double[n];
        var scores = new double[n];
        var top = new int[n][];
        var own = new double[n];
        for (var i = 0; i < n; i++)
        {
            var k = segmentations[i].Count;
            var block = outputs.AsSpan(i * samples * classCount, samples * classCount);
            // Sample 0 is the image itself: its argmax is the prediction (softmax keeps the order).
            explained[i] = given?[i] ?? ArgMax(block[..classCount]);
            var y = new double[samples];
            for (var s = 0; s < samples; s++) y[s] = block[s * classCount + (int)explained[i]];
            own[i] = y[0];
            var sampleWeights = KernelWeights(masks[i], samples, k, Options.KernelWidth);
            (weights[i], intercepts[i], scores[i]) = WeightedRidge.Fit(masks[i], samples, k, y, sampleWeights, Options.Regularization);
            top[i] = Top(weights[i], Options.TopSuperpixels, Options.PositiveOnly);
            var labels = segmentations[i].LabelSpan;
            var map = heatMaps[i] = new float[pixels];
            for (var p = 0; p < pixels; p++) map[p] = (float)weights[i][labels[p]];
        }
        return new LimeExplanation(h, w, heatMaps, explained, segmentations, weights, intercepts, scores, top, own);
    }

    /// <summary>[samples × K] on/off masks, row 0 all on, the others fair coin flips from the image's own stream.</summary>
    internal static bool[] DrawMasks(int samples, int features, int seed, long sampleId)
    {
        var random = new SampleRandom(seed, sampleId);
        var masks = new bool[samples * features];
        masks.AsSpan(0, features).Fill(true);
        for (var j = features; j < masks.Length; j++) masks[j] = (random.NextUInt64() >> 63) != 0;
        return masks;
    }

    /// <summary>LIME's kernel √exp(−d²/w²) of the cosine distance d of each mask to the all-on mask. With k of K on,
    /// cos = k / (√k · √K) = √(k/K); an all-off mask is at distance 1 (as scikit-learn's cosine distance of a zero vector).</summary>
    internal static double[] KernelWeights(bool[] masks, int samples, int features, double width)
    {
        var result = new double[samples];
        for (var s = 0; s < samples; s++)
        {
            var on = 0;
            for (var j = 0; j < features; j++) if (masks[s * features + j]) on++;
            var distance = 1 - Math.Sqrt(on / (double)features);
            result[s] = Math.Sqrt(Math.Exp(-distance * distance / (width * width)));
        }
        return result;
    }

    private void Fill(ReadOnlySpan<float> image, int channels, int pixels, Segmentation segmentation, Span<float> hidden)
    {
        switch (Options.Fill)
        {
            case HiddenSuperpixelFill.Value:
                hidden.Fill(Options.HiddenValue);
                break;
            case HiddenSuperpixelFill.ImageMean:
                for (var c = 0; c < channels; c++)
                {
                    var sum = 0.0;
                    foreach (var v in image.Slice(c * pixels, pixels)) sum += v;
                    hidden.Slice(c * pixels, pixels).Fill((float)(sum / pixels));
                }
                break;
            case HiddenSuperpixelFill.SuperpixelMean:
                var labels = segmentation.LabelSpan;
                var sums = new double[segmentation.Count];
                for (var c = 0; c < channels; c++)
                {
                    Array.Clear(sums);
                    for (var p = 0; p < pixels; p++) sums[labels[p]] += image[c * pixels + p];
                    for (var p = 0; p < pixels; p++) hidden[c * pixels + p] = (float)(sums[labels[p]] / segmentation.Sizes[labels[p]]);
                }
                break;
        }
    }

    private static long ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var j = 1; j < values.Length; j++) if (values[j] > values[best]) best = j;
        return best;
    }

    internal static int[] Top(double[] weights, int count, bool positiveOnly) =>
        Enumerable.Range(0, weights.Length)
            .Where(j => !positiveOnly || weights[j] > 0)
            .OrderByDescending(j => Math.Abs(weights[j])).ThenBy(j => j)
            .Take(count).ToArray();
}

/// <summary>Weighted ridge regression with an unpenalised intercept, as scikit-learn's <c>Ridge(alpha).fit(X, y,
/// sample_weight)</c>: centre X and y by their weighted means, solve (XᵀWX + αI) β = XᵀWy by Cholesky.</summary>
internal static class WeightedRidge
{
    internal static (double[] Coefficients, double Intercept, double R2) Fit(bool[] x, int rows, int features, double[] y, double[] weights, double alpha)
    {
        double X(int s, int j) => x[s * features + j] ? 1.0 : 0.0;
        var totalWeight = weights.Sum();
        var meanX = new double[features];
        var meanY = 0.0;
        for (var s = 0; s < rows; s++)
        {
            meanY += weights[s] * y[s];
            for (var j = 0; j < features; j++) meanX[j] += weights[s] * X(s, j);
        }
        meanY /= totalWeight;
        for (var j = 0; j < features; j++) meanX[j] /= totalWeight;

        var a = new double[features, features];
        var b = new double[features];
        var centred = new double[features];
        for (var s = 0; s < rows; s++)
        {
            for (var j = 0; j < features; j++) centred[j] = X(s, j) - meanX[j];
            var ws = weights[s];
            var ys = y[s] - meanY;
            for (var j = 0; j < features; j++)
            {
                var wj = ws * centred[j];
                b[j] += wj * ys;
                for (var k = 0; k <= j; k++) a[j, k] += wj * centred[k];
            }
        }
        var trace = 0.0;
        for (var j = 0; j < features; j++) trace += a[j, j];
        // Without a penalty, a superpixel that never changes makes the system singular: a jitter far below any real
        // curvature keeps it solvable (its coefficient then comes out 0).
        var ridge = alpha > 0 ? alpha : 1e-12 * Math.Max(trace, 1.0);
        for (var j = 0; j < features; j++) a[j, j] += ridge;
        var beta = Cholesky.Solve(a, b);
        var intercept = meanY;
        for (var j = 0; j < features; j++) intercept -= meanX[j] * beta[j];

        double residual = 0, spread = 0;
        for (var s = 0; s < rows; s++)
        {
            var prediction = intercept;
            for (var j = 0; j < features; j++) prediction += beta[j] * X(s, j);
            residual += weights[s] * (y[s] - prediction) * (y[s] - prediction);
            spread += weights[s] * (y[s] - meanY) * (y[s] - meanY);
        }
        var r2 = spread > 0 ? 1 - residual / spread : (residual == 0 ? 1 : 0);
        return (beta, intercept, r2);
    }
}

/// <summary>Solves A x = b for a symmetric positive definite A given by its lower triangle.</summary>
internal static class Cholesky
{
    internal static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var l = new double[n, n];
        for (var j = 0; j < n; j++)
        {
            var d = a[j, j];
            for (var k = 0; k < j; k++) d -= l[j, k] * l[j, k];
            if (!(d > 0)) throw new InvalidOperationException("The regression's normal equations are not positive definite.");
            l[j, j] = Math.Sqrt(d);
            for (var i = j + 1; i < n; i++)
            {
                var v = a[i, j];
                for (var k = 0; k < j; k++) v -= l[i, k] * l[j, k];
                l[i, j] = v / l[j, j];
            }
        }
        var z = new double[n];
        for (var i = 0; i < n; i++)
        {
            var v = b[i];
            for (var k = 0; k < i; k++) v -= l[i, k] * z[k];
            z[i] = v / l[i, i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var v = z[i];
            for (var k = i + 1; k < n; k++) v -= l[k, i] * x[k];
            x[i] = v / l[i, i];
        }
        return x;
    }
}
