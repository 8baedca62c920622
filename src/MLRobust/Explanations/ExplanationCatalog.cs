using MLRobust.Attacks;
using MLRobust.Explanations;
using MLRobust.MLNet;

namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.Transforms.Explanations</c>: explanations as lazy, batched transforms. Each adds a heat map column (a
/// Single vector of the image's H·W pixels) of the image column (default "Features", a known-size Single vector in the
/// model's input range) and the explained class; LIME also adds the top superpixels mask and the superpixel labels (see
/// <see cref="ExplanationColumnNames"/>). The explained class is the model's prediction unless
/// <c>labelColumnName</c> names a class column (key or class index).
/// </summary>
public sealed class ExplanationCatalog
{
    internal ExplanationCatalog(TransformsCatalog owner) => Environment = RobustEnvironment.FromCatalog(owner);

    internal RobustEnvironment Environment { get; }

    /// <summary>LIME over quickshift (or other) superpixels (<see cref="Lime"/>).</summary>
    public ExplanationEstimator Lime(IAttackTarget model, string outputColumnName = "Explanation", string inputColumnName = "Features",
        LimeOptions? options = null, string? labelColumnName = null) =>
        Explain(new MLRobust.Explanations.Lime(model, options), outputColumnName, inputColumnName, labelColumnName);

    /// <summary>Gradient saliency: plain gradient, SmoothGrad or integrated gradients (<see cref="MLRobust.Explanations.Saliency"/>).</summary>
    public ExplanationEstimator Saliency(IAttackTarget model, string outputColumnName = "Explanation", string inputColumnName = "Features",
        SaliencyOptions? options = null, string? labelColumnName = null) =>
        Explain(new MLRobust.Explanations.Saliency(model, options), outputColumnName, inputColumnName, labelColumnName);

    /// <summary>Any explainer as a transform.</summary>
    public ExplanationEstimator Explain(Explainer explainer, string outputColumnName = "Explanation", string inputColumnName = "Features", string? labelColumnName = null) =>
        new(new ExplanationTransformer(Environment, explainer, outputColumnName, inputColumnName, labelColumnName));
}

/// <summary>Adds <c>mlContext.Transforms.Explanations</c>.</summary>
public static class RobustExplanationsCatalogExtensions
{
    extension(TransformsCatalog catalog)
    {
        /// <summary>Explanations as transforms: <c>mlContext.Transforms.Explanations.Lime(…)</c>, <c>.Saliency(…)</c>.</summary>
        public ExplanationCatalog Explanations => new(catalog);
    }
}
