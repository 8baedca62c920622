using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// The optimizer and learning-rate schedule of one training stage. The learning rate is a pure function of the
/// iteration (<see cref="LearningRateAt"/>), so a resumed run continues on the same schedule. The Paper* presets are
/// the reference code's solvers (PAPERS.md §1).
/// </summary>
public sealed class SolverOptions
{
    public OptimizerKind Optimizer = OptimizerKind.Sgd;
    public double LearningRate = 0.01;

    /// <summary>SGD momentum.</summary>
    public double Momentum = 0.9;

    /// <summary>L2 weight decay (both optimizers).</summary>
    public double WeightDecay = 5e-4;

    public double Beta1 = 0.9;
    public double Beta2 = 0.999;
    public LearningRateSchedule Schedule = LearningRateSchedule.Fixed;

    /// <summary>The factor of a step (Step and MultiStep).</summary>
    public double Gamma = 0.1;

    /// <summary>Iterations between steps (Step).</summary>
    public int StepSize = 10_000;

    /// <summary>Iterations at which the rate is multiplied by Gamma (MultiStep).</summary>
    public int[] Milestones = Array.Empty<int>();

    /// <summary>Iterations of linear warm-up from LearningRate / WarmupIterations to LearningRate (Cosine).</summary>
    public int WarmupIterations;

    /// <summary>The classifiers and stage 1: SGD, lr 0.01 × 0.1 every 10k iterations, momentum 0.9, weight decay 5e-4.</summary>
    public static SolverOptions PaperClassifier() => new()
    {
        Optimizer = OptimizerKind.Sgd, LearningRate = 0.01, Momentum = 0.9, WeightDecay = 5e-4,
        Schedule = LearningRateSchedule.Step, Gamma = 0.1, StepSize = 10_000,
    };

    /// <summary>Stage 2: Adam, lr 5e-4 halved at 250k, 350k and 450k iterations.</summary>
    public static SolverOptions PaperProjector() => new()
    {
        Optimizer = OptimizerKind.Adam, LearningRate = 5e-4, WeightDecay = 0,
        Schedule = LearningRateSchedule.MultiStep, Gamma = 0.5, Milestones = new[] { 250_000, 350_000, 450_000 },
    };

    /// <summary>Stage 3: SGD, lr 2.5e-4, momentum 0.9, weight decay 5e-4.</summary>
    public static SolverOptions PaperComparator() => new()
    {
        Optimizer = OptimizerKind.Sgd, LearningRate = 2.5e-4, Momentum = 0.9, WeightDecay = 5e-4, Schedule = LearningRateSchedule.Fixed,
    };

    public SolverOptions Clone()
    {
        var copy = (SolverOptions)MemberwiseClone();
        copy.Milestones = (int[])Milestones.Clone();
        return copy;
    }

    /// <summary>The learning rate at iteration <paramref name="iteration"/> (0-based) of a stage of <paramref name="iterations"/>
    /// iterations (only the Cosine schedule needs the length).</summary>
    public double LearningRateAt(int iteration, int iterations = 0) => Schedule switch
    {
        LearningRateSchedule.Fixed => LearningRate,
        LearningRateSchedule.Step => LearningRate * Math.Pow(Gamma, iteration / StepSize),
        LearningRateSchedule.MultiStep => LearningRate * Math.Pow(Gamma, Milestones.Count(m => iteration >= m)),
        LearningRateSchedule.Cosine => CosineRate(iteration, iterations),
        _ => throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, "unknown learning-rate schedule"),
    };

    private double CosineRate(int iteration, int iterations)
    {
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "the Cosine schedule needs the stage's iteration count");
        if (iteration < WarmupIterations) return LearningRate * (iteration + 1) / WarmupIterations;
        var decay = Math.Max(1, iterations - WarmupIterations);
        var progress = Math.Min(1.0, (double)(iteration - WarmupIterations) / decay);
        return LearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>The short-run preset: Adam at <paramref name="learningRate"/>, 5% linear warm-up, then cosine decay to 0.</summary>
    public static SolverOptions ShortRun(int iterations, double learningRate = 1e-3) => new()
    {
        Optimizer = OptimizerKind.Adam, LearningRate = learningRate, WeightDecay = 0,
        Schedule = LearningRateSchedule.Cosine, WarmupIterations = Math.Max(1, iterations / 20),
    };

    /// <summary>Throws, naming the field, when a value is out of range.</summary>
    public void Validate(string owner)
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, $"{owner}: the learning rate must be positive");
        if (Momentum < 0 || Momentum >= 1) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, $"{owner}: momentum must be in [0, 1)");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, $"{owner}: weight decay must not be negative");
        if (Beta1 < 0 || Beta1 >= 1 || Beta2 < 0 || Beta2 >= 1) throw new ArgumentOutOfRangeException(nameof(Beta1), (Beta1, Beta2), $"{owner}: Adam's betas must be in [0, 1)");
        if (!(Gamma > 0)) throw new ArgumentOutOfRangeException(nameof(Gamma), Gamma, $"{owner}: gamma must be positive");
        if (Schedule == LearningRateSchedule.Step && StepSize < 1) throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, $"{owner}: the step size must be positive");
        if (Milestones is null) throw new ArgumentNullException(nameof(Milestones), $"{owner}: milestones must not be null");
        if (WarmupIterations < 0) throw new ArgumentOutOfRangeException(nameof(WarmupIterations), WarmupIterations, $"{owner}: warm-up iterations must not be negative");
    }

    internal optim.Optimizer Create(IEnumerable<Parameter> parameters) => Optimizer switch
    {
        OptimizerKind.Sgd => optim.SGD(parameters, LearningRate, Momentum, weight_decay: WeightDecay),
        OptimizerKind.Adam => optim.Adam(parameters, LearningRate, Beta1, Beta2, weight_decay: WeightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(Optimizer), Optimizer, "unknown optimizer"),
    };
}
