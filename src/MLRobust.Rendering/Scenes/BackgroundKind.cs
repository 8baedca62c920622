namespace MLRobust.Rendering.Scenes;

/// <summary>What synthetic scenes are composited over.</summary>
public enum BackgroundKind
{
    /// <summary>Black: Image equals CleanImage.</summary>
    None,
    /// <summary>Dead leaves plus fractal noise (<see cref="Backgrounds.ProceduralBackground"/>).</summary>
    Procedural,
    /// <summary>Crops of the photos in <see cref="SyntheticSceneOptions.BackgroundFolder"/>.</summary>
    Photos,
}
