using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>
/// An adversarial attack on an <see cref="IAttackTarget"/>. <see cref="Run"/> attacks a whole batch at once
/// (no per-image loops) with per-sample goals, per-sample early stopping where the attack defines it, and
/// per-sample bookkeeping (success, steps, final prediction).
/// </summary>
public abstract class Attack
{
    private protected Attack(IAttackTarget model, AttackOptions options)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        if (options.Range is { } asked && model.Range is { } declared && asked != declared)
            throw new ArgumentException($"The options ask for the input range {asked}, but the model declares {declared}.", nameof(options));
        Range = options.Range ?? model.Range ?? InputRange.Unit;
    }

    public IAttackTarget Model { get; }

    public AttackOptions Options { get; }

    /// <summary>The range the images are in and stay in: the options', else the model's, else [0, 1].</summary>
    public InputRange Range { get; }

    /// <summary>The attack its options describe: <see cref="FgsmOptions"/> gives <see cref="Fgsm"/>, and so on.</summary>
    public static Attack Create(IAttackTarget model, AttackOptions options) => options switch
    {
        FgsmOptions o => new Fgsm(model, o),
        IterativeFgsmOptions o => new IterativeFgsm(model, o),
        BimOptions o => new Bim(model, o),
        MiFgsmOptions o => new MiFgsm(model, o),
        PgdOptions o => new Pgd(model, o),
        DeepFoolOptions o => new DeepFool(model, o),
        CarliniWagnerL2Options o => new CarliniWagnerL2(model, o),
        JsmaOptions o => new Jsma(model, o),
        OnePixelOptions o => new OnePixel(model, o),
        null => throw new ArgumentNullException(nameof(options)),
        _ => throw new ArgumentException($"No attack takes options of type {options.GetType().Name}.", nameof(options)),
    };

    /// <summary>A short name ("fgsm", "pgd", …) for reports.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Attacks <paramref name="images"/> [N, C, H, W] (float32, in <see cref="Range"/>) whose true
    /// classes are <paramref name="labels"/> [N] (int64). <paramref name="targets"/> [N] is needed when the
    /// target selection is <see cref="TargetSelection.Given"/>. <paramref name="sampleIds"/> (default 0…N-1)
    /// name the samples' random streams: give stable ids (row numbers) to make results independent of batching.
    /// </summary>
    public AttackResult Run(Tensor images, Tensor labels, Tensor? targets = null, long[]? sampleIds = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() != 4)
            throw new ArgumentException($"images must be a batch [N, C, H, W]; got shape [{string.Join(", ", images.shape)}].", nameof(images));
        if (images.dtype != ScalarType.Float32)
            throw new ArgumentException($"images must be float32; got {images.dtype}.", nameof(images));
        var n = (int)images.size(0);
        var labelArray = ReadClasses(labels, n, nameof(labels));
        var targetArray = targets is null ? null : ReadClasses(targets, n, nameof(targets));
        if (sampleIds != null && sampleIds.Length != n)
            throw new ArgumentException($"sampleIds holds {sampleIds.Length} ids for {n} images.", nameof(sampleIds));
        var ids = sampleIds ?? Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        if (n == 0) throw new ArgumentException("images is an empty batch.", nameof(images));
        CheckRange(images);

        using var scope = NewDisposeScope();
        var x0 = images.detach().contiguous();
        Tensor cleanEvidence;
        using (no_grad()) cleanEvidence = Prediction.Evidence(Model, x0);
        var clean = cleanEvidence.argmax(1).data<long>().ToArray();
        var goal = AttackGoal.Resolve(Options.Target, Model, labelArray, targetArray, cleanEvidence);
        var batch = new AttackBatch(Model, x0, goal, Range, ids, Options.Seed);
        var steps = new int[n];
        var adversarial = RunCore(batch, steps).detach();
        if (Options.Precision == AttackPrecision.GreyLevels8) adversarial = RoundedDelivery.Round(batch, adversarial, steps, MinimalPerturbation && Options.EnsureRoundedSuccess, Options.MaxExtraGreyLevels);
        var predictions = batch.Predict(adversarial).data<long>().ToArray();
        var success = predictions.Select((p, i) => goal.Meets(p, i)).ToArray();
        return new AttackResult(adversarial.MoveToOuterDisposeScope(), labelArray, goal.Targets, clean, predictions, success, steps);
    }

    /// <summary>
    /// The untargeted adversarial images of <paramref name="images"/> alone, as float32 in <see cref="Range"/>, without the
    /// clean and final predictions and the rounding that <see cref="Run"/> adds: adversarial training makes a batch of them every
    /// iteration, and those two extra forward passes would be pure cost. Random starts follow (<see cref="AttackOptions.Seed"/>,
    /// <paramref name="sampleIds"/>) as in <see cref="Run"/>.
    /// </summary>
    internal Tensor Perturb(Tensor images, Tensor labels, long[] sampleIds)
    {
        var n = (int)images.size(0);
        if (images.dim() != 4 || images.dtype != ScalarType.Float32 || n == 0 || sampleIds.Length != n)
            throw new ArgumentException($"Perturb takes a non-empty float32 batch [N, C, H, W] with one sample id per image; got [{string.Join(", ", images.shape)}] {images.dtype}, {sampleIds.Length} ids.", nameof(images));
        var labelArray = ReadClasses(labels, n, nameof(labels));
        CheckRange(images);
        using var scope = NewDisposeScope();
        var goal = AttackGoal.Resolve(TargetSelection.Untargeted, Model, labelArray, null, null!);
        var batch = new AttackBatch(Model, images.detach().contiguous(), goal, Range, sampleIds, Options.Seed);
        return RunCore(batch, new int[n]).detach().MoveToOuterDisposeScope();
    }

    /// <summary>Whether the attack stops just past the boundary (minimal perturbation), so that rounding to 8 bits may undo it.</summary>
    private protected virtual bool MinimalPerturbation => false;

    /// <summary>The attack itself: returns the adversarial batch and fills each sample's step count.</summary>
    private protected abstract Tensor RunCore(AttackBatch batch, int[] steps);

    private long[] ReadClasses(Tensor classes, int n, string name)
    {
        if (classes.dim() != 1 || classes.size(0) != n)
            throw new ArgumentException($"{name} must have shape [{n}] (one class per image); got [{string.Join(", ", classes.shape)}].", name);
        using var scope = NewDisposeScope();
        var asLong = classes.to_type(ScalarType.Int64).cpu();
        var values = asLong.data<long>().ToArray();
        foreach (var v in values)
            if (v < 0 || v >= Model.ClassCount)
                throw new ArgumentOutOfRangeException(name, v, $"{name} holds class {v}, outside the model's {Model.ClassCount} classes (0 to {Model.ClassCount - 1}).");
        return values;
    }

    private void CheckRange(Tensor images)
    {
        using var scope = NewDisposeScope();
        var min = images.min().ToSingle();
        var max = images.max().ToSingle();
        var range = Range;
        var slack = 1e-4 * range.Width;
        if (float.IsNaN(min) || float.IsNaN(max))
            throw new ArgumentException("images hold NaN values.", nameof(images));
        if (min < range.Min - slack || max > range.Max + slack)
            throw new ArgumentException(
                $"images hold values in [{min}, {max}], outside the declared input range {range}. Declare the range the model takes " +
                "(Options.Range = InputRange.Grey for [0, 255] images, or the attack target's range) or rescale the images.", nameof(images));
    }
}
