namespace MLRobust.Experiments;

/// <summary>Options of <see cref="PaperReproduction"/>.</summary>
public sealed class ReproductionOptions
{
    public ReproductionScale Scale = ReproductionScale.Small;

    /// <summary>Seeds rendering, training and the attacks: the same seed gives the same run on the CPU.</summary>
    public int Seed = 1;

    /// <summary>The thresholds Θ at which the triple-staged network is scored (the paper's Table 1).</summary>
    public double[] Thresholds = [0.2, 0.45, 0.7];

    /// <summary>Θ used for the attacks on the triple-staged network, its robustness suite, its explanations and the goals.</summary>
    public double AttackThreshold = 0.45;

    /// <summary>Further Θ at which the until-flip attacks run on the same trained triple-staged network, one row per Θ and
    /// experiment (the paper's Fig. 4 and 6 compare 0.2, 0.45 and 0.7: more steps at low Θ for object → None); each in [0, 1].
    /// Null: the scale's default (none at smoke and small scale, 0.2 and 0.7 at paper scale).</summary>
    public double[]? ExtraAttackThresholds;

    /// <summary>Object images attacked per experiment and model; null: the scale's default.</summary>
    public int? AttackSamples;

    /// <summary>Steps after which an until-flip attack gives up (the paper: 10,000); null: the scale's default.</summary>
    public int? AttackMaxSteps;

    /// <summary>Run the robustness suite (index, monitor, ε curves, pixel changes) on the models; default true.</summary>
    public bool Robustness = true;

    /// <summary>Where pictures (renders, adversarial examples) are written; null: none.</summary>
    public string? OutputFolder;

    /// <summary>Called with what the run is doing (phase, training progress).</summary>
    public Action<ReproductionProgress>? Progress;

    public CancellationToken CancellationToken;
}

/// <summary>One progress report: a phase ("render", "train direct", …) and how far it is.</summary>
public sealed record ReproductionProgress(string Phase, double Fraction, string Detail);
