namespace MLRobust.Explanations;

/// <summary>Explanations of a batch of images: one H·W heat map per image, and the class each one explains.</summary>
public abstract class Explanation
{
    private protected Explanation(int height, int width, float[][] heatMaps, long[] classes)
    {
        Height = height;
        Width = width;
        HeatMaps = heatMaps;
        Classes = classes;
    }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Number of images explained.</summary>
    public int Count => HeatMaps.Count;

    /// <summary>Per image, H·W values (row-major): how much each pixel speaks for the explained class.</summary>
    public IReadOnlyList<float[]> HeatMaps { get; }

    /// <summary>Per image, the explained class (0-based).</summary>
    public IReadOnlyList<long> Classes { get; }
}

/// <summary>LIME's explanations of a batch of images.</summary>
public sealed class LimeExplanation : Explanation
{
    internal LimeExplanation(int height, int width, float[][] heatMaps, long[] classes, Segmentation[] segmentations, double[][] weights,
        double[] intercepts, double[] scores, int[][] top, double[] outputs)
        : base(height, width, heatMaps, classes)
    {
        Segmentations = segmentations;
        Weights = weights;
        Intercepts = intercepts;
        Scores = scores;
        TopSuperpixels = top;
        Outputs = outputs;
    }

    /// <summary>Per image, its superpixels.</summary>
    public IReadOnlyList<Segmentation> Segmentations { get; }

    /// <summary>Per image, the fitted weight of each superpixel (the heat map's values).</summary>
    public IReadOnlyList<double[]> Weights { get; }

    /// <summary>Per image, the intercept of the local linear model (its prediction with every superpixel off).</summary>
    public IReadOnlyList<double> Intercepts { get; }

    /// <summary>Per image, the weighted R² of the local linear model on its samples (how well it fits).</summary>
    public IReadOnlyList<double> Scores { get; }

    /// <summary>Per image, the top superpixels, best first.</summary>
    public IReadOnlyList<int[]> TopSuperpixels { get; }

    /// <summary>Per image, the explained output (<see cref="ExplainedOutput"/>) of the explained class on the image itself.</summary>
    public IReadOnlyList<double> Outputs { get; }

    /// <summary>H·W values, 1 on the pixels of image <paramref name="image"/>'s top superpixels and 0 elsewhere.</summary>
    public float[] TopMask(int image)
    {
        var mask = new float[Height * Width];
        var top = TopSuperpixels[image].ToHashSet();
        var labels = Segmentations[image].LabelSpan;
        for (var p = 0; p < mask.Length; p++) mask[p] = top.Contains(labels[p]) ? 1f : 0f;
        return mask;
    }
}

/// <summary>Gradient saliency explanations of a batch of images.</summary>
public sealed class SaliencyExplanation : Explanation
{
    internal SaliencyExplanation(int height, int width, int channels, float[][] heatMaps, long[] classes, float[][] attributions,
        double[] outputs, double[] baselineOutputs)
        : base(height, width, heatMaps, classes)
    {
        Channels = channels;
        Attributions = attributions;
        Outputs = outputs;
        BaselineOutputs = baselineOutputs;
    }

    /// <summary>Channels C of the images.</summary>
    public int Channels { get; }

    /// <summary>Per image, the attribution of every input value, C·H·W of them ([C, H, W] order), before the
    /// channel reduction and <see cref="SaliencyOptions.Absolute"/>.</summary>
    public IReadOnlyList<float[]> Attributions { get; }

    /// <summary>Per image, the explained output f(x) of the explained class.</summary>
    public IReadOnlyList<double> Outputs { get; }

    /// <summary>Per image, f(baseline) for integrated gradients (their attributions sum to about f(x) − f(baseline)); NaN
    /// for the other methods.</summary>
    public IReadOnlyList<double> BaselineOutputs { get; }
}
