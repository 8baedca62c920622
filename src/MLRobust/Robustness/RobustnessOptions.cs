using MLRobust.Attacks;

namespace MLRobust.Robustness;

/// <summary>How <see cref="CaseSelection"/> visits the rows when it picks the correctly classified images of each class.</summary>
public enum CaseOrder
{
    /// <summary>The first correctly classified rows of each class, in row order.</summary>
    RowOrder,

    /// <summary>The first correctly classified rows of each class in a permutation of the rows drawn from
    /// <see cref="CaseSelectionOptions.Seed"/> (Ding and Moeller pick their images at random). The same seed and rows give the
    /// same permutation, so checkpoints of one model are measured on the same candidates.</summary>
    SeededRandom,
}

/// <summary>Which images the robustness analyses attack (Ding and Moeller, PAPERS.md §2: 10 correctly classified images per class).</summary>
public class CaseSelectionOptions
{
    /// <summary>At most this many correctly classified images per class; default 10 (the paper).</summary>
    public int ImagesPerClass = 10;

    /// <summary>Row order or a seeded random order; default <see cref="CaseOrder.SeededRandom"/>.</summary>
    public CaseOrder Order = CaseOrder.SeededRandom;

    /// <summary>Seeds the random order (a managed generator: libtorch's global generator is not touched).</summary>
    public int Seed = 1;

    /// <summary>Whether a model's None ("no object") class takes part as a source and target class. Default false: the
    /// paper's classes are all object classes, and "no object" is no class an image of one object can be morphed into or
    /// attacked towards in its sense. A None prediction met along an interpolation still counts as a pop-up class.</summary>
    public bool IncludeNoneClass;

    /// <summary>Images per forward pass (predictions, interpolation sweeps) and cases per attack batch; default 256.</summary>
    public int BatchSize = 256;

    /// <summary>The images' value range; null: the model's declared range (<see cref="IAttackTarget.Range"/>), else [0, 1].
    /// MAEs are reported in grey levels of this range (1/255 of its width), as the paper's on [0, 255].</summary>
    public InputRange? Range;

    internal virtual void Validate()
    {
        if (ImagesPerClass < 1) throw new ArgumentOutOfRangeException(nameof(ImagesPerClass), ImagesPerClass, "must be at least 1");
        if (!Enum.IsDefined(Order)) throw new ArgumentOutOfRangeException(nameof(Order), Order, "unknown case order");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be at least 1");
        if (Range is { } r && !(r.Max > r.Min)) throw new ArgumentOutOfRangeException(nameof(Range), Range, "needs Max > Min");
    }

    /// <summary>A copy (of the same type) that the evaluation may fill in without touching the caller's options.</summary>
    internal CaseSelectionOptions Copy() => (CaseSelectionOptions)MemberwiseClone();

    internal InputRange RangeOf(IAttackTarget model) => Range ?? model.Range ?? InputRange.Unit;

    internal void CopySelectionTo(CaseSelectionOptions other)
    {
        other.ImagesPerClass = ImagesPerClass;
        other.Order = Order;
        other.Seed = Seed;
        other.IncludeNoneClass = IncludeNoneClass;
        other.BatchSize = BatchSize;
        other.Range = Range;
    }
}

/// <summary>Options of <see cref="InterpolationAnalysis"/>.</summary>
public sealed class InterpolationAnalysisOptions : CaseSelectionOptions
{
    /// <summary>Evenly spaced values of T in [0, 1], both ends included; default 100 (the paper).</summary>
    public int Steps = 100;

    internal override void Validate()
    {
        base.Validate();
        if (Steps < 2) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "an interpolation sweep needs at least 2 steps");
    }
}

/// <summary>Options of <see cref="TargetedFgsmAnalysis"/>.</summary>
public sealed class TargetedFgsmAnalysisOptions : CaseSelectionOptions
{
    /// <summary>Steps of one grey level after which a case that has not reached its target counts as failed; default 10,000 (the paper).</summary>
    public int MaxSteps = 10_000;

    internal override void Validate()
    {
        base.Validate();
        if (MaxSteps < 0) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "must not be negative");
    }
}

/// <summary>Options of <see cref="RobustnessIndex"/>: the case selection both analyses share, the interpolation grid and the
/// attack's step budget.</summary>
public sealed class RobustnessIndexOptions : CaseSelectionOptions
{
    /// <summary>Values of T per interpolation sweep; default 100 (the paper).</summary>
    public int InterpolationSteps = 100;

    /// <summary>The targeted iterative FGSM's step budget; default 10,000 (the paper).</summary>
    public int MaxSteps = 10_000;

    internal override void Validate()
    {
        base.Validate();
        if (InterpolationSteps < 2) throw new ArgumentOutOfRangeException(nameof(InterpolationSteps), InterpolationSteps, "an interpolation sweep needs at least 2 steps");
        if (MaxSteps < 0) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "must not be negative");
    }

    internal InterpolationAnalysisOptions ForInterpolation()
    {
        var o = new InterpolationAnalysisOptions { Steps = InterpolationSteps };
        CopySelectionTo(o);
        return o;
    }

    internal TargetedFgsmAnalysisOptions ForFgsm()
    {
        var o = new TargetedFgsmAnalysisOptions { MaxSteps = MaxSteps };
        CopySelectionTo(o);
        return o;
    }
}
