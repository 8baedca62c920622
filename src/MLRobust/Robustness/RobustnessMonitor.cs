using System.Diagnostics;
using MLRobust.Attacks;
using MLRobust.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Robustness;

/// <summary>One measurement of <see cref="RobustnessMonitor"/>.</summary>
/// <param name="Stage">The training stage (e.g. "Classifier", "Comparator").</param>
/// <param name="Iteration">Iterations of that stage completed when measured.</param>
/// <param name="CleanAccuracy">Accuracy on the whole held-out set.</param>
/// <param name="Index">The robustness index (<see cref="RobustnessIndex"/>).</param>
/// <param name="MeanMae">Mean targeted-FGSM MAE of the successful cases, grey levels.</param>
/// <param name="MeanSwitchThreshold">Mean interpolation switch threshold.</param>
/// <param name="MeanSwitchMae">Mean interpolation switch MAE, grey levels.</param>
/// <param name="PopUpRate">Fraction of interpolation cases with a pop-up class.</param>
/// <param name="FgsmSuccessRate">Fraction of FGSM cases that reached their target within the step budget.</param>
/// <param name="SelectedImages">Correctly classified images the analyses used.</param>
/// <param name="ElapsedSeconds">Seconds since training began (the trainer's clock), at the measurement.</param>
/// <param name="MeasureSeconds">Seconds the measurement took.</param>
public sealed record RobustnessRecord(string Stage, int Iteration, double CleanAccuracy, double Index, double MeanMae, double MeanSwitchThreshold,
    double MeanSwitchMae, double PopUpRate, double FgsmSuccessRate, int SelectedImages, double ElapsedSeconds, double MeasureSeconds);

/// <summary>
/// Watches the robustness index while a model trains (Ding and Moeller: the index monitors the training state). Set it as
/// <see cref="TrainingOptions.Monitor"/>: every <see cref="Interval"/> iterations of a monitored stage, and after its last,
/// the trainer puts the network in evaluation mode, computes the index on the held-out images with <see cref="Options"/>,
/// appends a <see cref="RobustnessRecord"/> to <see cref="History"/> and restores the modules' modes. The direct trainers are
/// monitored in their single stage; the triple-staged trainer in its comparator stage only, when the merged network is
/// complete (estimator and projector already trained). Monitoring does not change the training: it reads the weights without
/// touching their gradients or the optimizer, uses no dropout (evaluation mode), draws only from managed generators of its
/// own, and saves and restores libtorch's CPU generator state around each measurement. It costs time: keep the held-out
/// set, <see cref="CaseSelectionOptions.ImagesPerClass"/> and <see cref="RobustnessIndexOptions.MaxSteps"/> small for frequent measurements.
/// </summary>
public sealed class RobustnessMonitor : IDisposable
{
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private readonly List<RobustnessRecord> _history = new();
    private readonly List<RobustnessIndexResult> _results = new();

    /// <summary>Monitors on held-out <paramref name="images"/> [N, C, H, W] (in the model's range) with labels [N]; the monitor
    /// keeps its own CPU copies. Measures every <paramref name="interval"/> iterations.</summary>
    public RobustnessMonitor(Tensor images, Tensor labels, int interval, RobustnessIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() != 4) throw new ArgumentException($"images must be a batch [N, C, H, W]; got [{string.Join(", ", images.shape)}]", nameof(images));
        if (labels.dim() != 1 || labels.size(0) != images.size(0)) throw new ArgumentException($"labels must have shape [{images.size(0)}]; got [{string.Join(", ", labels.shape)}]", nameof(labels));
        if (interval < 1) throw new ArgumentOutOfRangeException(nameof(interval), interval, "must be at least 1");
        Options = options ?? new RobustnessIndexOptions();
        Options.Validate();
        Interval = interval;
        using (no_grad())
        {
            _images = images.detach().to(ScalarType.Float32, CPU).clone().DetachFromDisposeScope();
            _labels = labels.detach().to(ScalarType.Int64, CPU).clone().DetachFromDisposeScope();
        }
    }

    /// <summary>Monitors on the first <paramref name="rows"/> rows of <paramref name="source"/> (all classes, in order): a
    /// <see cref="TensorSampleSource"/>, or a <see cref="DataViewSampleSource"/> reading an ML.NET data view.</summary>
    public static RobustnessMonitor FromSource(ISampleSource source, int rows, int interval, RobustnessIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "must be at least 1");
        using var scope = NewDisposeScope();
        var images = new List<Tensor>();
        var labels = new List<Tensor>();
        foreach (var batch in source.Pass(Math.Min(rows, 256), SampleFilter.All, rows))
        {
            images.Add(batch.Images.cpu());
            labels.Add(batch.Classes.cpu());
        }
        if (images.Count == 0) throw new ArgumentException("the source has no rows", nameof(source));
        return new RobustnessMonitor(cat(images, 0), cat(labels, 0), interval, options);
    }

    /// <summary>Iterations between measurements.</summary>
    public int Interval { get; }

    public RobustnessIndexOptions Options { get; }

    /// <summary>Whether each measurement's full <see cref="RobustnessIndexResult"/> (cases, matrices) is kept in <see cref="Results"/>; default false.</summary>
    public bool KeepResults { get; set; }

    /// <summary>Held-out images in the monitor.</summary>
    public long HeldOutCount => _images.size(0);

    /// <summary>The measurements so far, in order.</summary>
    public IReadOnlyList<RobustnessRecord> History => _history;

    /// <summary>Full results of the measurements, aligned with <see cref="History"/>, when <see cref="KeepResults"/> is set.</summary>
    public IReadOnlyList<RobustnessIndexResult> Results => _results;

    /// <summary>Whether a stage measures after <paramref name="completed"/> of its <paramref name="iterations"/> iterations.</summary>
    public bool IsDue(int completed, int iterations) => completed > 0 && (completed % Interval == 0 || completed == iterations);

    /// <summary>Measures <paramref name="model"/> now (the model as it is: put a module in evaluation mode first) and records it;
    /// usable without a trainer, e.g. on saved checkpoints.</summary>
    public RobustnessRecord Measure(IAttackTarget model, string stage, int iteration, double elapsedSeconds = double.NaN, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var clock = Stopwatch.StartNew();
        // The analyses draw nothing from libtorch's generator; saving and restoring it guards the training's stream anyway.
        var rng = torch.random.get_rng_state();
        try
        {
            RobustnessIndexResult result;
            using (NewDisposeScope())
            {
                var dev = device ?? CPU;
                result = RobustnessIndex.Compute(model, _images.to(dev), _labels.to(dev), Options);
            }
            var record = new RobustnessRecord(stage, iteration, result.CleanAccuracy, result.Index, result.MeanMae, result.MeanSwitchThreshold,
                result.MeanSwitchMae, result.Interpolation.OverallPopUpRate, result.TargetedFgsm.OverallSuccessRate, result.Selection.Count,
                elapsedSeconds, clock.Elapsed.TotalSeconds);
            _history.Add(record);
            if (KeepResults) _results.Add(result);
            return record;
        }
        finally
        {
            torch.random.set_rng_state(rng);
            rng.Dispose();
        }
    }

    /// <summary>Forgets the history (e.g. before reusing the monitor for another run).</summary>
    public void Clear()
    {
        _history.Clear();
        _results.Clear();
    }

    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
    }
}
