namespace MLRobust.Robustness;

/// <summary>One setting of <see cref="PixelSensitivity.Measure"/>: how often its random pixel changes misclassify images
/// the model gets right when clean, and the Pixel-index of that.</summary>
public sealed record PixelSensitivityPoint
{
    public required PixelChangeSetting Setting { get; init; }

    /// <summary>Images evaluated: those the model classifies correctly when clean.</summary>
    public required int Evaluated { get; init; }

    public required int Repeats { get; init; }

    /// <summary>Changed images predicted: <see cref="Evaluated"/> × <see cref="Repeats"/>.</summary>
    public long Trials => (long)Evaluated * Repeats;

    /// <summary>Changed images the model misclassifies, over all repeats.</summary>
    public required long Misclassified { get; init; }

    /// <summary>Misclassified changed images of each repeat (<see cref="Evaluated"/> per repeat).</summary>
    public required IReadOnlyList<long> MisclassifiedByRepeat { get; init; }

    /// <summary>w = <see cref="Misclassified"/> / <see cref="Trials"/>; NaN when no image was classified correctly when clean.</summary>
    public double MisclassificationRate => Trials == 0 ? double.NaN : Misclassified / (double)Trials;

    /// <summary>w, p, r and a of this setting (<see cref="PixelIndex"/>).</summary>
    public required PixelIndexTerms Terms { get; init; }

    /// <summary>Pi = w / (p · r · a); NaN when w is.</summary>
    public double PixelIndex => Trials == 0 ? double.NaN : Terms.Value;
}

/// <summary>What <see cref="PixelSensitivity.Measure"/> returns: the points in the order of the settings (counts, then ranges,
/// then areas).</summary>
public sealed record PixelSensitivityResult
{
    public required int ImageHeight { get; init; }

    public required int ImageWidth { get; init; }

    /// <summary>Images given.</summary>
    public required int Count { get; init; }

    /// <summary>Images the model classifies correctly when clean: the ones every setting is measured on.</summary>
    public required int CleanCorrect { get; init; }

    public double CleanAccuracy => Count == 0 ? 0 : CleanCorrect / (double)Count;

    public required IReadOnlyList<PixelSensitivityPoint> Points { get; init; }

    /// <summary>Settings left out because their area holds fewer pixels than their count.</summary>
    public required IReadOnlyList<PixelChangeSetting> Skipped { get; init; }
}

/// <summary>One setting of <see cref="PixelSensitivity.Restore(MLRobust.Attacks.IAttackTarget, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, PixelSensitivityOptions?)"/>:
/// how often its random pixel changes give a misclassified adversarial image its right class back.</summary>
public sealed record PixelRestorePoint
{
    public required PixelChangeSetting Setting { get; init; }

    /// <summary>Adversarial images evaluated: those the model misclassifies.</summary>
    public required int Evaluated { get; init; }

    public required int Repeats { get; init; }

    /// <summary><see cref="Evaluated"/> × <see cref="Repeats"/>.</summary>
    public long Trials => (long)Evaluated * Repeats;

    /// <summary>Changed adversarial images the model classifies correctly again, over all repeats.</summary>
    public required long Restored { get; init; }

    /// <summary>Restored images of each repeat.</summary>
    public required IReadOnlyList<long> RestoredByRepeat { get; init; }

    /// <summary><see cref="Restored"/> / <see cref="Trials"/>; NaN when no adversarial image was misclassified.</summary>
    public double RestoreRate => Trials == 0 ? double.NaN : Restored / (double)Trials;
}

/// <summary>What <see cref="PixelSensitivity.Restore(MLRobust.Attacks.IAttackTarget, TorchSharp.torch.Tensor, TorchSharp.torch.Tensor, PixelSensitivityOptions?)"/> returns.</summary>
public sealed record PixelRestoreResult
{
    /// <summary>Adversarial images given.</summary>
    public required int Count { get; init; }

    /// <summary>Of those, the ones the model misclassifies (the successful adversarial images the changes are tried on).</summary>
    public required int Misclassified { get; init; }

    public required IReadOnlyList<PixelRestorePoint> Points { get; init; }

    /// <summary>Settings left out because their area holds fewer pixels than their count.</summary>
    public required IReadOnlyList<PixelChangeSetting> Skipped { get; init; }
}
