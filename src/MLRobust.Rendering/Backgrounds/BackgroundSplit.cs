namespace MLRobust.Rendering.Backgrounds;

/// <summary>Which photos of a folder a photo background draws from.</summary>
public enum BackgroundSplit
{
    /// <summary>Every photo.</summary>
    All,
    /// <summary>The training photos: those not in the test set.</summary>
    Train,
    /// <summary>The held-out photos, so test scenes never show a training photo.</summary>
    Test,
}
