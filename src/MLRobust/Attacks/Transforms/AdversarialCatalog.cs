using MLRobust.MLNet;
using MLRobust.Attacks;

namespace Microsoft.ML;

/// <summary>
/// <c>mlContext.Transforms.Adversarial</c>: attacks as lazy, batched transforms. Each adds the adversarial image
/// (output column, default "Adversarial") of the image column (default "Features", a known-size
/// Single vector in the attack's input range), and per row the bookkeeping and metric columns of
/// <see cref="AdversarialColumnNames"/>. The true class comes from the label column (default "Label");
/// <see cref="AdversarialTransformOptions"/> sets it, the target column, the batch size and a column prefix.
/// Models are <see cref="IAttackTarget"/>s: <see cref="AttackTarget.From(MLRobust.Models.IDifferentiableClassifier)"/> for
/// MLRobust's classifiers, <see cref="AttackTarget.FromLogits"/> for any logits module.
/// </summary>
public sealed class AdversarialCatalog
{
    internal AdversarialCatalog(TransformsCatalog owner) => Environment = RobustEnvironment.FromCatalog(owner);

    internal RobustEnvironment Environment { get; }

    public AdversarialEstimator Fgsm(IAttackTarget model, string outputColumnName = "Adversarial", string inputColumnName = "Features",
        FgsmOptions? options = null, AdversarialTransformOptions? columns = null) =>
        Attack(new MLRobust.Attacks.Fgsm(model, options), outputColumnName, inputColumnName, columns);

    /// <summary>Iterative targeted FGSM until the label flips (one grey level a step; targeted at the next class by default).</summary>
    public AdversarialEstimator IterativeFgsm(IAttackTarget model, string outputColumnName = "Adversarial", string inputColumnName = "Features",
        IterativeFgsmOptions? options = null, AdversarialTransformOptions? columns = null) =>
        Attack(new MLRobust.Attacks.IterativeFgsm(model, options), outputColumnName, inputColumnName, columns);

    public AdversarialEstimator Bim(IAttackTarget model, string outputColumnName = "Adversarial", string inputColumnName = "Features",
        BimOptions? options = null, AdversarialTransformOptions? columns = null) =>
        Attack(new MLRobust.Attacks.Bim(model, options), outputColumnName, inputColumnName, columns);

    public AdversarialEstimator MiFgsm(IAttackTarget model, string outputColumnName = "Adversarial", string inputColumnName = "Features",
        MiFgsmOptions? options = null, AdversarialTransformOptions? columns = null) =>
        Attack(new MLRobust.Attacks.MiFgsm(model, options), outputColumnName, inputColumnName, columns);

    public AdversarialEstimator Pgd(IAttackTarget model, string outputColumnName = "Adversarial", string inputColumnName = "Features",
        PgdOptions? options = null, AdversarialTransformOptions? columns = null) =>
        Attack(new MLRobust.Attacks.Pgd(model, options), outputColumnName, inputColumnName, columns);

    public AdversarialEstimator DeepFool(IAttackTarget model, string outputColumnName = "Adversarial", string inputColumnName = "Features",
        DeepFoolOptions? options = null, AdversarialTransformOptions? columns = null) =>
        Attack(new MLRobust.Attacks.DeepFool(model, options), outputColumnName, inputColumnName, columns);

    public AdversarialEstimator CarliniWagnerL2(IAttackTarget model, string outputColumnName = "Adversarial", string inputColumnName = "Features",
        CarliniWagnerL2Options? options = null, AdversarialTransformOptions? columns = null) =>
        Attack(new MLRobust.Attacks.CarliniWagnerL2(model, options), outputColumnName, inputColumnName, columns);

    public AdversarialEstimator Jsma(IAttackTarget model, string outputColumnName = "Adversarial", string inputColumnName = "Features",
        JsmaOptions? options = null, AdversarialTransformOptions? columns = null) =>
        Attack(new MLRobust.Attacks.Jsma(model, options), outputColumnName, inputColumnName, columns);

    public AdversarialEstimator OnePixel(IAttackTarget model, string outputColumnName = "Adversarial", string inputColumnName = "Features",
        OnePixelOptions? options = null, AdversarialTransformOptions? columns = null) =>
        Attack(new MLRobust.Attacks.OnePixel(model, options), outputColumnName, inputColumnName, columns);

    /// <summary>Any attack object as a transform.</summary>
    public AdversarialEstimator Attack(Attack attack, string outputColumnName = "Adversarial", string inputColumnName = "Features", AdversarialTransformOptions? columns = null) =>
        new(Environment, new AdversarialTransformer(Environment, attack, outputColumnName, inputColumnName, columns));

    /// <summary>Linear interpolation sweeps between each row's image pair: A (<paramref name="inputColumnName"/>,
    /// <paramref name="labelColumnName"/>) and B (<paramref name="otherInputColumnName"/>, <paramref name="otherLabelColumnName"/>).
    /// <paramref name="batchSize"/> pairs are swept together.</summary>
    public InterpolationEstimator Interpolate(IAttackTarget model, string inputColumnName = "Features", string labelColumnName = "Label",
        string otherInputColumnName = "OtherFeatures", string otherLabelColumnName = "OtherLabel", InterpolationOptions? options = null,
        int batchSize = 8, string columnPrefix = "", int[]? imageShape = null) =>
        new(Environment, new InterpolationTransformer(Environment, new LinearInterpolation(model, options), inputColumnName, labelColumnName,
            otherInputColumnName, otherLabelColumnName, batchSize, columnPrefix, imageShape));
}
