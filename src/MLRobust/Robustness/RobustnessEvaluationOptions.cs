using MLRobust.Attacks;

namespace MLRobust.Robustness;

/// <summary>
/// What <c>ml.MulticlassClassification.EvaluateRobustness</c> measures and how hard it tries. Each analysis can be switched off
/// (null or empty). The defaults fit a laptop: up to 500 rows, 10 images per class for the robustness index, 1,000 steps for
/// the until-flip attacks (the paper: 10,000), FGSM and PGD over the default ε grid, and the paper's pixel-change sweep.
/// </summary>
public sealed class RobustnessEvaluationOptions
{
    /// <summary>The image column: a known-size Single vector or a square MLImage column.</summary>
    public string FeatureColumnName = "Features";

    /// <summary>The label: a key (key k = class k − 1) or a numeric class index.</summary>
    public string LabelColumnName = "Label";

    /// <summary>Rows read from the data (in storage order), at most.</summary>
    public int MaxRows = 500;

    /// <summary>The robustness index (targeted FGSM and interpolation matrices); null: not measured.</summary>
    public RobustnessIndexOptions? Index = new() { MaxSteps = 1_000 };

    /// <summary>Attacks whose accuracy is measured over <see cref="Epsilon"/>'s grid (any options with an ε); empty: none.</summary>
    public List<AttackOptions> EpsilonAttacks = new() { new FgsmOptions(), new PgdOptions() };

    public EpsilonSweepOptions Epsilon = new();

    /// <summary>Zhang and Cai's pixel-change sweep and Pixel-index; null: not measured.</summary>
    public PixelSensitivityOptions? PixelChanges = new();

    /// <summary>ε of the FGSM whose adversarial images random pixel changes try to turn back (the attack's own robustness),
    /// in the images' [0, 1] units; null: not measured.</summary>
    public double? RestoreFgsmEpsilon = 8 / 255.0;

    /// <summary>The pixel changes tried on those adversarial images; null: Zhang and Cai's 4 to 64 pixels, any value, anywhere.</summary>
    public PixelSensitivityOptions? RestoreChanges;

    /// <summary>Where the images live; null: as the model declares, else [0, 1].</summary>
    public InputRange? Range;

    internal void Validate()
    {
        if (string.IsNullOrEmpty(FeatureColumnName)) throw new ArgumentException("FeatureColumnName must name a column.", nameof(FeatureColumnName));
        if (string.IsNullOrEmpty(LabelColumnName)) throw new ArgumentException("LabelColumnName must name a column.", nameof(LabelColumnName));
        if (MaxRows < 1) throw new ArgumentOutOfRangeException(nameof(MaxRows), MaxRows, "MaxRows must be at least 1.");
        ArgumentNullException.ThrowIfNull(EpsilonAttacks, nameof(EpsilonAttacks));
        ArgumentNullException.ThrowIfNull(Epsilon, nameof(Epsilon));
        if (RestoreFgsmEpsilon is { } e && !(e > 0 && e <= 1))
            throw new ArgumentOutOfRangeException(nameof(RestoreFgsmEpsilon), e, "RestoreFgsmEpsilon is in (0, 1] (units of the range's width).");
    }
}
