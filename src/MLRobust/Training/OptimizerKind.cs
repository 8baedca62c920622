namespace MLRobust.Training;

/// <summary>The optimizers a training stage can use (the reference code's two solvers).</summary>
public enum OptimizerKind
{
    /// <summary>SGD with momentum and L2 weight decay.</summary>
    Sgd,

    /// <summary>Adam (β₁, β₂) with optional L2 weight decay.</summary>
    Adam,
}
