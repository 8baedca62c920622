using System.Diagnostics;
using MLRobust.Attacks;
using MLRobust.Robustness;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// The training loop shared by every stage: per iteration it reseeds (from seed, stage, iteration, so a resumed run
/// repeats an uninterrupted one), sets the scheduled learning rate, runs one step, and reports progress, validates and
/// checkpoints at the configured intervals.
/// </summary>
internal sealed class StageRunner
{
    private readonly TrainingOptions _options;
    private readonly string _model;
    private readonly string _fingerprint;
    private readonly nn.Module _network;
    private readonly ISampleSource _source;
    private readonly int _stageCount;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    internal StageRunner(TrainingOptions options, string model, string fingerprint, nn.Module network, ISampleSource source, int stageCount)
    {
        _options = options;
        _model = model;
        _fingerprint = fingerprint;
        _network = network;
        _source = source;
        _stageCount = stageCount;
    }

    /// <summary>One training step: the loss of a batch (in the autograd graph) and how many samples it saw.</summary>
    internal delegate (Tensor loss, int samples) Step(int iteration, Random random);

    /// <summary>Validation: a loss and optionally an accuracy.</summary>
    internal delegate (double loss, double? accuracy) Validation();

    /// <summary>A stage; <paramref name="Monitored"/> is the classifier <see cref="TrainingOptions.Monitor"/> measures during it (null: not monitored).</summary>
    internal sealed record Stage(string Name, int Index, StageOptions Options, nn.Module Trained, Step Step, Validation? Validate, IAttackTarget? Monitored = null);

    /// <summary>The checkpoint to resume from (already checked against the model), if any.</summary>
    internal TrainingCheckpoint? Resumed { get; set; }

    /// <summary>Loads a resumable checkpoint's weights and stream positions; returns the stage and iteration to continue at.</summary>
    internal (int stage, int iteration, Dictionary<string, Tensor>? optimizerState) Restore()
    {
        if (_options.CheckpointDirectory is null || !_options.Resume) return (0, 0, null);
        Resumed = TrainingCheckpoint.TryRead(_options.CheckpointDirectory, _model, _fingerprint);
        if (Resumed is null) return (0, 0, null);
        var device = _options.Device ?? CPU;
        var optimizerState = Resumed.Restore(_network, device);
        foreach (var filter in Enum.GetValues<SampleFilter>())
            if (Resumed.Info.Positions.TryGetValue(filter.ToString(), out var p)) _source.Seek(filter, p);
        return (Resumed.Info.Stage, Resumed.Info.Iteration, optimizerState);
    }

    internal void Run(Stage stage, int startIteration, Dictionary<string, Tensor>? optimizerState)
    {
        stage.Options.Validate(stage.Name);
        var iterations = stage.Options.Iterations;
        var solver = stage.Options.Solver;
        using var optimizer = solver.Create(stage.Trained.parameters());
        if (optimizerState is { Count: > 0 } && startIteration > 0) OptimizerStateTensors.Restore(optimizer, optimizerState);
        double lossSum = 0;
        var lossCount = 0;
        long samples = 0;
        var since = _clock.Elapsed;
        for (var t = startIteration; t < iterations; t++)
        {
            _options.CancellationToken.ThrowIfCancellationRequested();
            _options.AliveCheck?.Invoke();
            manual_seed(SeedMix.Mix(_options.EffectiveSeed, stage.Index, t));
            var random = new Random(SeedMix.Mix(_options.EffectiveSeed, stage.Index, t, 1));
            optimizer.SetLearningRate(solver.LearningRateAt(t, stage.Options.Iterations));
            stage.Trained.train();
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                var (loss, n) = stage.Step(t, random);
                loss.backward();
                var value = loss.ToDouble();
                if (!double.IsFinite(value))
                    throw new InvalidOperationException($"{stage.Name} stage, iteration {t}: the loss became {value}; lower the learning rate ({optimizer.LearningRate():G3})");
                OptimizerSteps.Step(optimizer);
                lossSum += value;
                lossCount++;
                samples += n;
            }
            var done = t + 1;
            var last = done == iterations;
            if (stage.Monitored is { } monitored && _options.Monitor is { } monitor && monitor.IsDue(done, iterations))
                since += MeasureRobustness(stage, monitored, monitor, done);
            var validate = stage.Validate is not null && (last || (_options.ValidationInterval > 0 && done % _options.ValidationInterval == 0));
            if (validate || last || done % _options.ProgressInterval == 0)
            {
                (double loss, double? accuracy)? v = null;
                if (validate)
                {
                    stage.Trained.eval();
                    using (NewDisposeScope())
                    using (no_grad())
                        v = stage.Validate!();
                }
                var seconds = (_clock.Elapsed - since).TotalSeconds;
                Report(stage, done, iterations, lossSum / Math.Max(1, lossCount), optimizer.LearningRate(), v?.loss, v?.accuracy, seconds > 0 ? samples / seconds : 0);
                lossSum = 0;
                lossCount = 0;
                samples = 0;
                since = _clock.Elapsed;
            }
            if (_options.CheckpointDirectory is { } dir && (last || done % _options.CheckpointInterval == 0))
                TrainingCheckpoint.Write(dir, _model, _fingerprint, last ? stage.Index + 1 : stage.Index, stage.Name, last ? 0 : done, _network,
                    last ? null : optimizer, Positions());
        }
        stage.Trained.eval();
    }

    /// <summary>Measures the robustness index with the whole network in evaluation mode, then restores every module's mode; returns
    /// the time it took (left out of the throughput report).</summary>
    private TimeSpan MeasureRobustness(Stage stage, IAttackTarget monitored, RobustnessMonitor monitor, int done)
    {
        var started = _clock.Elapsed;
        // Modes in pre-order (parents before children): train(flag) is recursive, so restoring in this order is exact.
        var modes = new List<(nn.Module module, bool training)> { (_network, _network.training) };
        modes.AddRange(_network.named_modules().OrderBy(m => m.name.Count(ch => ch == '.')).Select(m => (m.module, m.module.training)));
        _network.eval();
        try
        {
            monitor.Measure(monitored, stage.Name, done, started.TotalSeconds, _options.Device);
        }
        finally
        {
            foreach (var (module, training) in modes) module.train(training);
        }
        return _clock.Elapsed - started;
    }

    /// <summary>Marks a stage as finished without running it (zero iterations) in the checkpoint.</summary>
    internal void Skip(Stage stage)
    {
        Report(stage, 0, 0, double.NaN, stage.Options.Solver.LearningRate, null, null, 0);
        if (_options.CheckpointDirectory is { } dir)
            TrainingCheckpoint.Write(dir, _model, _fingerprint, stage.Index + 1, stage.Name, 0, _network, null, Positions());
    }

    private Dictionary<string, long> Positions() =>
        Enum.GetValues<SampleFilter>().ToDictionary(f => f.ToString(), f => _source.GetPosition(f));

    private void Report(Stage stage, int iteration, int iterations, double loss, double lr, double? validationLoss, double? validationAccuracy, double rate) =>
        _options.Progress?.Invoke(new TrainingProgress(stage.Name, stage.Index, _stageCount, iteration, iterations, loss, lr,
            validationLoss, validationAccuracy, rate, _clock.Elapsed));
}
