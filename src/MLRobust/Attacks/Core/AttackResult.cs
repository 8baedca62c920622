using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>The outcome of an attack on a batch: the adversarial images and, per sample, what the attack
/// aimed for and reached. Dispose it to free <see cref="Adversarial"/>.</summary>
public sealed class AttackResult : IDisposable
{
    internal AttackResult(Tensor adversarial, long[] labels, long[] targets, long[] cleanPredictions, long[] predictions, bool[] success, int[] steps)
    {
        Adversarial = adversarial;
        Labels = labels;
        Targets = targets;
        CleanPredictions = cleanPredictions;
        Predictions = predictions;
        Success = success;
        Steps = steps;
    }

    /// <summary>[N, C, H, W], in the attack's input range.</summary>
    public Tensor Adversarial { get; }

    /// <summary>The true labels the attack was given.</summary>
    public long[] Labels { get; }

    /// <summary>Each sample's target class, or -1 for untargeted attacks.</summary>
    public long[] Targets { get; }

    /// <summary>The model's predictions on the clean images.</summary>
    public long[] CleanPredictions { get; }

    /// <summary>The model's predictions on the adversarial images.</summary>
    public long[] Predictions { get; }

    /// <summary>Whether the prediction meets the goal: the target, or (untargeted) anything but the label.</summary>
    public bool[] Success { get; }

    /// <summary>Iterations each sample used (gradient steps, evolution generations, binary-search-free
    /// optimiser steps, epsilon increments): for stop-at-success attacks, the first step that met the goal.</summary>
    public int[] Steps { get; }

    public int Count => Success.Length;

    /// <summary>Fraction of samples whose goal was met.</summary>
    public double SuccessRate => Count == 0 ? 0 : Success.Count(s => s) / (double)Count;

    public void Dispose() => Adversarial.Dispose();
}
