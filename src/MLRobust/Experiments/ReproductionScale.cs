namespace MLRobust.Experiments;

/// <summary>How big a reproduction run is.</summary>
public enum ReproductionScale
{
    /// <summary>Seconds: 32x32 images and a few iterations, to check the whole path works (tests use it).</summary>
    Smoke,

    /// <summary>The default: 64x64 images, a few thousand renders, short schedules; about 10-15 minutes on 2 cores.</summary>
    Small,

    /// <summary>The paper's data sizes (40,000 training and 10,000 test renders per class) and solvers: for a GPU.</summary>
    Paper,
}
