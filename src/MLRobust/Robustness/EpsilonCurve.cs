using Microsoft.ML;
using MLRobust.Attacks;

namespace MLRobust.Robustness;

/// <summary>One point of an <see cref="EpsilonCurve"/>: the attack at one ε over every sample.</summary>
public sealed record EpsilonPoint
{
    /// <summary>ε as the attack took it, in the input range's units.</summary>
    public required double Epsilon { get; init; }

    /// <summary>ε in [0, 1] units: a fraction of the range width.</summary>
    public required double EpsilonUnit { get; init; }

    /// <summary>ε in grey levels (1/255 of the range width).</summary>
    public required double EpsilonGreyLevels { get; init; }

    /// <summary>Samples the attack ran on.</summary>
    public required int Count { get; init; }

    /// <summary>Samples still predicted as their label after the attack.</summary>
    public required int Correct { get; init; }

    /// <summary><see cref="Correct"/> / <see cref="Count"/>: the model's accuracy on the attacked images.</summary>
    public double Accuracy => Count == 0 ? 0 : Correct / (double)Count;

    /// <summary>Samples whose attack goal was met (<see cref="AttackResult.Success"/>: untargeted, any class but the label;
    /// targeted, the target), clean misclassifications included.</summary>
    public required int Successes { get; init; }

    /// <summary><see cref="Successes"/> / <see cref="Count"/>.</summary>
    public double SuccessRate => Count == 0 ? 0 : Successes / (double)Count;
}

/// <summary>One sample at one ε: a row of <see cref="EpsilonCurve.Samples"/> (and of <see cref="EpsilonCurve.ToDataView"/>).</summary>
public sealed record EpsilonSample
{
    /// <summary>The sample's row in the images given to the sweep (0-based).</summary>
    public long Row { get; init; }

    /// <summary>ε in [0, 1] units.</summary>
    public double EpsilonUnit { get; init; }

    /// <summary>ε in grey levels.</summary>
    public double EpsilonGreyLevels { get; init; }

    public long Label { get; init; }

    /// <summary>The prediction on the clean image.</summary>
    public long CleanPrediction { get; init; }

    /// <summary>The prediction on the attacked image.</summary>
    public long Prediction { get; init; }

    /// <summary><see cref="Prediction"/> equals <see cref="Label"/>.</summary>
    public bool Correct { get; init; }

    /// <summary>The attack's goal was met.</summary>
    public bool Success { get; init; }
}

/// <summary>The accuracy of a model against an attack over a grid of ε (PAPERS.md §4): what <see cref="EpsilonSweep"/>
/// returns. <see cref="Points"/> are in the grid's order.</summary>
public sealed class EpsilonCurve
{
    internal EpsilonCurve(string attackName, InputRange range, int count, int cleanCorrect, IReadOnlyList<EpsilonPoint> points, IReadOnlyList<EpsilonSample> samples)
    {
        AttackName = attackName;
        Range = range;
        Count = count;
        CleanCorrect = cleanCorrect;
        Points = points;
        Samples = samples;
    }

    /// <summary>The attack's short name ("fgsm", "pgd", …).</summary>
    public string AttackName { get; }

    /// <summary>The value range the images and ε were in.</summary>
    public InputRange Range { get; }

    /// <summary>Samples evaluated.</summary>
    public int Count { get; }

    /// <summary>Samples the model classifies correctly when clean.</summary>
    public int CleanCorrect { get; }

    /// <summary>The accuracy on the clean images (the point at ε = 0, when the grid has it).</summary>
    public double CleanAccuracy => Count == 0 ? 0 : CleanCorrect / (double)Count;

    public IReadOnlyList<EpsilonPoint> Points { get; }

    /// <summary>Per sample and ε (grid-major: every row of the first ε, then the next); empty when
    /// <see cref="EpsilonSweepOptions.KeepSamples"/> was off.</summary>
    public IReadOnlyList<EpsilonSample> Samples { get; }

    /// <summary><see cref="Samples"/> as an ML.NET data view (columns Row, EpsilonUnit, EpsilonGreyLevels, Label,
    /// CleanPrediction, Prediction, Correct, Success).</summary>
    public IDataView ToDataView(MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(ml);
        return ml.Data.LoadFromEnumerable(Samples);
    }
}
