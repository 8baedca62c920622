namespace MLRobust.Rendering.Raster;

/// <summary>
/// How a model is placed in front of the camera: Euler angles in radians applied about the model's
/// origin Z first, then X, then Y (R = Ry·Rx·Rz for column vectors), a uniform scale applied before
/// the rotation, and a shift of the picture in the image plane. See renders/CONVENTIONS.md.
/// </summary>
public readonly record struct Pose(float Rx, float Ry, float Rz)
{
    /// <summary>Uniform scale of the model (1 = its own size).</summary>
    public float Scale { get; init; } = 1f;

    /// <summary>Moves the projected model right by this fraction of the image width.</summary>
    public float ShiftX { get; init; }

    /// <summary>Moves the projected model up by this fraction of the image width.</summary>
    public float ShiftY { get; init; }

    public static Pose Identity => new(0, 0, 0);
}
