using MLRobust.Attacks;
using MLRobust.Models;
using MLRobust.Robustness;
using MLRobust.Trainers;

namespace Microsoft.ML;

/// <summary>Robustness evaluation next to ML.NET's own <c>ml.MulticlassClassification.Evaluate</c>: the robustness index
/// (Ding and Moeller), accuracy against ε, Zhang and Cai's pixel sensitivity and Pixel-index, in one call.</summary>
public static class RobustnessCatalog
{
    /// <summary>
    /// Evaluates a fitted model (an MLRobust direct or triple-staged transformer, or a chain holding one: the transforms before
    /// the classifier are applied to <paramref name="data"/> first) on labelled images. The classifier's feature column is read;
    /// the label column is <see cref="RobustnessEvaluationOptions.LabelColumnName"/>.
    /// </summary>
    public static RobustnessMetrics EvaluateRobustness(this MulticlassClassificationCatalog catalog, ITransformer model, IDataView data,
        RobustnessEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RobustnessEvaluationOptions();
        options.Validate();
        var parts = model is IEnumerable<ITransformer> chain ? chain.ToArray() : new[] { model };
        foreach (var part in parts)
        {
            (IDifferentiableClassifier Classifier, string Features, IReadOnlyList<string> Names, string Name)? found = part switch
            {
                DirectClassifierTransformer d => (d.Classifier, d.FeatureColumnName, d.Classes.Names, "direct classifier"),
                TripleStagedTransformer t => (t.Classifier, t.Columns.Features, t.Classes.Names, $"triple-staged Θ={t.Threshold:0.##}"),
                _ => null,
            };
            if (found is { } f)
            {
                var features = options.FeatureColumnName == "Features" ? f.Features : options.FeatureColumnName;
                using var images = LabelledImages.Read(data, features, options.LabelColumnName, options.MaxRows);
                return RobustnessEvaluation.Evaluate(new MLContext(1), AttackTarget.From(f.Classifier), images, options, f.Name, f.Names);
            }
            data = part.Transform(data);
        }
        throw new ArgumentException("The model holds no MLRobust classifier (DirectClassifierTransformer or TripleStagedTransformer); " +
            "for another TorchSharp model, pass it as an IAttackTarget (AttackTarget.FromModule).", nameof(model));
    }

    /// <summary>Evaluates any attackable model (e.g. your own TorchSharp module through <see cref="AttackTarget.FromModule"/>) on the
    /// images of <see cref="RobustnessEvaluationOptions.FeatureColumnName"/>.</summary>
    public static RobustnessMetrics EvaluateRobustness(this MulticlassClassificationCatalog catalog, IAttackTarget model, IDataView data,
        RobustnessEvaluationOptions? options = null, string modelName = "model")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options ??= new RobustnessEvaluationOptions();
        options.Validate();
        using var images = LabelledImages.Read(data, options.FeatureColumnName, options.LabelColumnName, options.MaxRows);
        return RobustnessEvaluation.Evaluate(new MLContext(1), model, images, options, modelName);
    }
}
