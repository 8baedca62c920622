namespace MLRobust.Attacks;

/// <summary>The names of the columns an attack transform adds besides the adversarial image (each with the
/// transform's <see cref="AdversarialTransformOptions.ColumnPrefix"/>).</summary>
public static class AdversarialColumnNames
{
    /// <summary>Boolean: the prediction on the adversarial image meets the goal.</summary>
    public const string Success = "Success";

    /// <summary>Int32: iterations the row used (see <see cref="AttackResult.Steps"/>).</summary>
    public const string Steps = "Steps";

    /// <summary>Key: the row's target class (missing for untargeted attacks).</summary>
    public const string Target = "AttackTarget";

    /// <summary>Key: the model's prediction on the clean image.</summary>
    public const string CleanPrediction = "CleanPrediction";

    /// <summary>Key: the model's prediction on the adversarial image.</summary>
    public const string AdversarialPrediction = "AdversarialPrediction";

    /// <summary>Single: Szegedy's distortion (range-free).</summary>
    public const string Distortion = "Distortion";

    /// <summary>Single: mean absolute change, in range units.</summary>
    public const string Mae = "MAE";

    /// <summary>Single: number of changed values.</summary>
    public const string L0 = "L0";

    /// <summary>Single: Euclidean norm of the change, in range units.</summary>
    public const string L2 = "L2";

    /// <summary>Single: largest absolute change, in range units.</summary>
    public const string LInf = "LInf";

    /// <summary>Single: structural similarity (data range = the range width).</summary>
    public const string Ssim = "SSIM";

    /// <summary>Annotation (text) on the adversarial image, success, steps and metric columns: the precision they describe,
    /// "Float32" or "GreyLevels8" (<see cref="AttackOptions.Precision"/>).</summary>
    public const string PrecisionAnnotation = "AttackPrecision";

    internal static readonly string[] Metrics = { Distortion, Mae, L0, L2, LInf, Ssim };
}
