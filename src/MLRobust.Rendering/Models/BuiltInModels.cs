using MLRobust.Rendering.Geometry;
using MLRobust.Rendering.Gltf;

namespace MLRobust.Rendering.Models;

/// <summary>
/// MLRobust's three built-in models, built procedurally in the spirit of the paper's Suzanne, Tux and
/// Antonov: a monkey head, a penguin and an aeroplane. Each faces the camera in its rest pose
/// (glTF axes, front towards +Z) and fits in a sphere of radius about 1.3 around the origin.
/// The same code writes renders/models/*.glb (<see cref="WriteGlbFiles"/>); a test checks the committed files match.
/// </summary>
public static class BuiltInModels
{
    public const string Monkey = "monkey";
    public const string Penguin = "penguin";
    public const string Aeroplane = "aeroplane";

    /// <summary>The names, in label order.</summary>
    public static IReadOnlyList<string> Names { get; } = [Monkey, Penguin, Aeroplane];

    /// <summary>Builds the named model (one of <see cref="Names"/>).</summary>
    public static Model3D Create(string name) => name switch
    {
        Monkey => MonkeyHeadModel.Build(),
        Penguin => PenguinModel.Build(),
        Aeroplane => AeroplaneModel.Build(),
        _ => throw new ArgumentException($"unknown built-in model \"{name}\"; the built-in models are {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>All three, in label order.</summary>
    public static IReadOnlyList<Model3D> CreateAll() => Names.Select(Create).ToArray();

    /// <summary>Writes NAME.glb for every built-in model into <paramref name="directory"/> and returns the paths.</summary>
    public static IReadOnlyList<string> WriteGlbFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var name in Names)
        {
            var path = Path.Combine(directory, name + ".glb");
            GltfWriter.WriteGlb(Create(name), path);
            paths.Add(path);
        }
        return paths;
    }
}
