using System.Numerics;

namespace MLRobust.Rendering.Raster;

/// <summary>
/// MLRobust's fixed camera (renders/CONVENTIONS.md): a pinhole perspective camera with a 35 mm lens
/// on a 36 mm wide sensor (horizontal field of view 2·atan(18/35) = 54.43°, the sensor fitted to the
/// image width, square pixels), standing 3 units from the origin on +Z, looking down −Z, +Y up
/// (glTF axes). Pixel (0, 0) is the top-left pixel; its centre is at (0.5, 0.5).
/// </summary>
public static class Camera
{
    public const double FocalLengthMm = 35;
    public const double SensorWidthMm = 36;
    /// <summary>Distance of the camera from the origin along +Z.</summary>
    public const double Distance = 3;
    /// <summary>Nearest camera-space depth drawn; geometry closer than this is clipped.</summary>
    public const double NearPlane = 0.01;

    /// <summary>2·atan(18/35) ≈ 0.94998 rad ≈ 54.43°.</summary>
    public static double HorizontalFovRadians => 2 * Math.Atan(SensorWidthMm / 2 / FocalLengthMm);

    /// <summary>The focal length in pixels for an image <paramref name="width"/> pixels wide: width·35/36.</summary>
    public static double FocalLengthPixels(int width) => width * FocalLengthMm / SensorWidthMm;

    /// <summary>
    /// The model-to-world transform of a pose in System.Numerics' row-vector convention
    /// (v·S·Rz·Rx·Ry, which is Ry·Rx·Rz·S·v for column vectors).
    /// </summary>
    public static Matrix4x4 ModelMatrix(Pose pose) =>
        Matrix4x4.CreateScale(pose.Scale)
        * Matrix4x4.CreateRotationZ(pose.Rz)
        * Matrix4x4.CreateRotationX(pose.Rx)
        * Matrix4x4.CreateRotationY(pose.Ry);

    /// <summary>
    /// Where a model-space point lands in a <paramref name="width"/>×<paramref name="height"/> image,
    /// in pixels from the top-left corner (x right, y down), and its depth in front of the camera.
    /// </summary>
    public static (double X, double Y, double Depth) Project(Vector3 modelPoint, Pose pose, int width, int height)
    {
        var world = Vector3.Transform(modelPoint, ModelMatrix(pose));
        return ProjectWorld(world.X, world.Y, world.Z, pose, width, height);
    }

    /// <summary>Projection of a world-space point (after the pose); see <see cref="Project"/>.</summary>
    public static (double X, double Y, double Depth) ProjectWorld(double x, double y, double z, Pose pose, int width, int height)
    {
        double depth = Distance - z;
        double f = FocalLengthPixels(width);
        double px = width / 2.0 + pose.ShiftX * width + f * x / depth;
        double py = height / 2.0 - pose.ShiftY * width - f * y / depth;
        return (px, py, depth);
    }
}
