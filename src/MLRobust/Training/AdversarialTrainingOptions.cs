using MLRobust.Attacks;

namespace MLRobust.Training;

/// <summary>The attack that makes the adversarial examples of <see cref="AdversarialTrainingOptions"/>.</summary>
public enum AdversarialTrainingAttack
{
    /// <summary>L∞ projected gradient descent with a random start (Madry et al.): the strong default.</summary>
    Pgd,

    /// <summary>One fast gradient sign step (Goodfellow et al.): one extra forward and backward pass a batch instead of
    /// <see cref="AdversarialTrainingOptions.Steps"/>, weaker against iterative attacks.</summary>
    Fgsm,
}

/// <summary>
/// Adversarial training of the direct classifiers (and of networks of your own trained by them): every iteration, part of the
/// batch is replaced by adversarial examples of the current weights, made with the network in evaluation mode, and the loss
/// is taken on the mixed batch in training mode. Set it on <see cref="DirectTrainingOptions.Adversarial"/>.
/// </summary>
/// <remarks>Cost: PGD adds <see cref="Steps"/> forward and backward passes over the attacked rows a batch (7 by default, so
/// a run takes several times as long); FGSM adds one. Expect a few points of clean accuracy to go for the robustness.</remarks>
public sealed class AdversarialTrainingOptions
{
    /// <summary>The attack; default <see cref="AdversarialTrainingAttack.Pgd"/> (Madry et al.).</summary>
    public AdversarialTrainingAttack Attack = AdversarialTrainingAttack.Pgd;

    /// <summary>The L∞ radius ε in the units of <see cref="Range"/>; default 8/255 (8 grey levels of [0, 1] images).</summary>
    public double Epsilon = 8.0 / 255;

    /// <summary>PGD's step α; default 2/255. FGSM steps ε at once and ignores it.</summary>
    public double StepSize = 2.0 / 255;

    /// <summary>PGD iterations; default 7 (Madry et al.'s CIFAR-10 training). FGSM ignores it.</summary>
    public int Steps = 7;

    /// <summary>PGD starts at a uniform random point of the ε-ball (Madry et al.); default true. The start of each row follows
    /// from the run's seed and the iteration, so a resumed run repeats an uninterrupted one.</summary>
    public bool RandomStart = true;

    /// <summary>The fraction of each batch's attacked rows replaced by their adversarial examples, in (0, 1]; default 0.5
    /// (half clean, half adversarial, which keeps most of the clean accuracy). 1: Madry et al.'s all-adversarial training.
    /// The rows are drawn afresh every iteration.</summary>
    public double Ratio = 0.5;

    /// <summary>Whether rows of the None class (background, no object) are attacked too; default true. A background moved by at
    /// most ε still shows no object, so None stays its correct label; and if only object rows were ever perturbed, the network
    /// could learn "perturbation noise means an object" — exactly the false positive an attacker wants. False keeps None rows
    /// clean (<see cref="Ratio"/> then counts object rows only), e.g. when only object-to-object flips matter.</summary>
    public bool AttackNoneRows = true;

    /// <summary>The range the training images' values are in, which adversarial examples stay in; ε and the step are in its
    /// units. Default [0, 1], the range of MLRobust's scenes and image columns.</summary>
    public InputRange Range = InputRange.Unit;

    /// <summary>Checks the options; throws <see cref="ArgumentOutOfRangeException"/> naming the field that is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Attack))
            throw new ArgumentOutOfRangeException(nameof(Attack), Attack, "Attack must be Pgd or Fgsm.");
        if (!(Range.Max > Range.Min))
            throw new ArgumentOutOfRangeException(nameof(Range), Range, "Range needs Max > Min (InputRange.Unit or new InputRange(min, max)).");
        if (!double.IsFinite(Epsilon) || Epsilon <= 0 || Epsilon > Range.Width)
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon,
                $"Epsilon is the L∞ radius in the images' units and must be in (0, {Range.Width:G4}] (the width of {Range}); 8/255 ≈ 0.0314 is usual for [0, 1] images.");
        if (!double.IsFinite(Ratio) || Ratio <= 0 || Ratio > 1)
            throw new ArgumentOutOfRangeException(nameof(Ratio), Ratio,
                "Ratio is the fraction of each batch replaced by adversarial examples and must be in (0, 1]; for plain training leave Adversarial null.");
        if (Attack == AdversarialTrainingAttack.Pgd)
        {
            if (!double.IsFinite(StepSize) || StepSize <= 0 || StepSize > Range.Width)
                throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, $"StepSize (PGD's step α) must be in (0, {Range.Width:G4}]; Epsilon / 4 is usual.");
            if (Steps < 1)
                throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps (PGD iterations) must be at least 1.");
        }
    }

    /// <summary>A copy, so that a trainer's run is not changed by edits to the caller's options while it trains.</summary>
    public AdversarialTrainingOptions Clone() => (AdversarialTrainingOptions)MemberwiseClone();
}
