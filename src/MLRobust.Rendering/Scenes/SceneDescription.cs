using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Scenes;

/// <summary>
/// What row <see cref="Row"/> of a synthetic-scene view shows, before anything is rendered: its
/// label (an index into the view's label names; the last one is None), the pose, and the seed of
/// its background.
/// </summary>
public readonly record struct SceneDescription(long Row, int LabelIndex, string Label, bool IsNone, Pose Pose, ulong BackgroundSeed)
{
    /// <summary>The Parameters column: rx, ry, rz + 0.5 (the paper's targets); zeros for None rows.</summary>
    public float[] Parameters() =>
        IsNone ? new float[3] : [Pose.Rx + 0.5f, Pose.Ry + 0.5f, Pose.Rz + 0.5f];
}
