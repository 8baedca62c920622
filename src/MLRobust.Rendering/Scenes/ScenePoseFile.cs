using System.Globalization;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Scenes;

/// <summary>Reads pose lists: a CSV with a header holding rx, ry, rz (radians) and optionally scale, shift_x, shift_y.</summary>
public static class ScenePoseFile
{
    public static Pose[] Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (header, rows) = SceneCsv.Read(path);
        int rx = SceneCsv.Column(header, "rx", path), ry = SceneCsv.Column(header, "ry", path), rz = SceneCsv.Column(header, "rz", path);
        int scale = SceneCsv.Column(header, "scale", path, false), sx = SceneCsv.Column(header, "shift_x", path, false), sy = SceneCsv.Column(header, "shift_y", path, false);
        var poses = new Pose[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var (line, f) = rows[i];
            float Read(int column, string name, float fallback)
            {
                if (column < 0 || f[column].Trim().Length == 0)
                {
                    if (fallback is float v && !float.IsNaN(v)) return v;
                    throw new InvalidDataException($"{path}:{line}: '{name}' is empty");
                }
                if (!float.TryParse(f[column].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
                    throw new InvalidDataException($"{path}:{line}: '{name}' is '{f[column]}', not a finite number");
                return value;
            }
            var pose = new Pose(Read(rx, "rx", float.NaN), Read(ry, "ry", float.NaN), Read(rz, "rz", float.NaN))
            {
                Scale = Read(scale, "scale", 1f),
                ShiftX = Read(sx, "shift_x", 0f),
                ShiftY = Read(sy, "shift_y", 0f),
            };
            if (!(pose.Scale > 0)) throw new InvalidDataException($"{path}:{line}: 'scale' must be positive, got {pose.Scale}");
            poses[i] = pose;
        }
        if (poses.Length == 0) throw new InvalidDataException($"{path}: no poses after the header");
        return poses;
    }
}
