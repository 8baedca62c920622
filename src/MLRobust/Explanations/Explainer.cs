using MLRobust.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Explanations;

/// <summary>An explanation method over a model: turns a batch of images [N, C, H, W] into one heat map per image for a
/// class (the predicted one, or one given per image). Works on any <see cref="IAttackTarget"/>: MLRobust's classifiers
/// (<see cref="AttackTarget.From(MLRobust.Models.IDifferentiableClassifier)"/>) or your own TorchSharp module
/// (<see cref="AttackTarget.FromModule"/>).</summary>
public abstract class Explainer
{
    private protected Explainer(IAttackTarget model, ExplanationOptions options)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        options.Validate();
        CommonOptions = options;
        if (model.Range is { } declared && options.Range is { } given && declared != given)
            throw new ArgumentException($"The model takes images in {declared}, but the options say {given}.", nameof(options));
    }

    /// <summary>The explained model.</summary>
    public IAttackTarget Model { get; }

    /// <summary>The method's name ("LIME", "IntegratedGradients", ...).</summary>
    public abstract string Name { get; }

    /// <summary>The value range of the images: the model's, else the options', else [0, 1].</summary>
    public InputRange Range => Model.Range ?? CommonOptions.Range ?? InputRange.Unit;

    internal ExplanationOptions CommonOptions { get; }

    /// <summary>Explains <paramref name="images"/> [N, C, H, W] (in <see cref="Range"/>), for <paramref name="classes"/> [N]
    /// (0-based; null: the model's prediction on each image). <paramref name="sampleIds"/> seed each image's random draws
    /// (null: 0 … N − 1), so that an image gets the same explanation in any batch.</summary>
    public abstract Explanation Explain(Tensor images, Tensor? classes = null, long[]? sampleIds = null);

    private protected (int N, int C, int H, int W) CheckImages(Tensor images, Tensor? classes, long[]? sampleIds)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.size(0) < 1)
            throw new ArgumentException($"Explanations take a batch of images [N, C, H, W]; got [{string.Join(", ", images.shape)}].", nameof(images));
        var n = (int)images.size(0);
        if (classes is not null && (classes.dim() != 1 || classes.size(0) != n))
            throw new ArgumentException($"One class per image is needed: [{n}]; got [{string.Join(", ", classes.shape)}].", nameof(classes));
        if (sampleIds is not null && sampleIds.Length != n)
            throw new ArgumentException($"One sample id per image is needed: {n}; got {sampleIds.Length}.", nameof(sampleIds));
        return (n, (int)images.size(1), (int)images.size(2), (int)images.size(3));
    }

    /// <summary>The classes to explain: given ones checked against the model, else the model's predictions.</summary>
    private protected long[] ClassesToExplain(Tensor images, Tensor? classes)
    {
        if (classes is not null)
        {
            long[] given;
            using (NewDisposeScope()) given = classes.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
            foreach (var c in given)
                if (c < 0 || c >= Model.ClassCount)
                    throw new ArgumentOutOfRangeException(nameof(classes), c, $"Class {c} is outside the model's {Model.ClassCount} classes.");
            return given;
        }
        using var scope = NewDisposeScope();
        return Prediction.Predict(Model, images, CommonOptions.BatchSize).cpu().data<long>().ToArray();
    }

    /// <summary>The values of <paramref name="values"/> as floats on the CPU, with no tensor left behind.</summary>
    private protected static float[] Floats(Tensor values)
    {
        using var scope = NewDisposeScope();
        return values.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    private protected static long[] Ids(long[]? sampleIds, int n) => sampleIds ?? Enumerable.Range(0, n).Select(i => (long)i).ToArray();
}
