namespace MLRobust.Training;

/// <summary>How long and with what solver one stage trains.</summary>
public sealed class StageOptions
{
    public int Iterations;
    public int BatchSize;
    public SolverOptions Solver;

    public StageOptions(int iterations, int batchSize, SolverOptions solver)
    {
        Iterations = iterations;
        BatchSize = batchSize;
        Solver = solver ?? throw new ArgumentNullException(nameof(solver));
    }

    public StageOptions Clone() => new(Iterations, BatchSize, Solver.Clone());

    internal void Validate(string stage)
    {
        if (Iterations < 0) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, $"{stage}: the number of iterations must not be negative");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{stage}: the batch size must be positive");
        ArgumentNullException.ThrowIfNull(Solver, nameof(Solver));
        Solver.Validate(stage);
    }
}
