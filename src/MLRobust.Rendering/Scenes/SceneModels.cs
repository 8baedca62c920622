using MLRobust.Rendering.Geometry;
using MLRobust.Rendering.Gltf;
using MLRobust.Rendering.Models;

namespace MLRobust.Rendering.Scenes;

/// <summary>Turns the model names of scene options and of <c>mlrobust render --models</c> into models.</summary>
public static class SceneModels
{
    /// <summary>A built-in model name, or a path to a .glb/.gltf file (its label is the file name without extension).</summary>
    public static Model3D Resolve(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (BuiltInModels.Names.Contains(nameOrPath)) return BuiltInModels.Create(nameOrPath);
        var extension = Path.GetExtension(nameOrPath).ToLowerInvariant();
        if (extension is ".glb" or ".gltf")
        {
            if (!File.Exists(nameOrPath)) throw new FileNotFoundException($"Model file '{nameOrPath}' does not exist.", nameOrPath);
            return GltfReader.Load(nameOrPath);
        }
        throw new ArgumentException($"'{nameOrPath}' is neither a built-in model ({string.Join(", ", BuiltInModels.Names)}) nor a .glb/.gltf file.", nameof(nameOrPath));
    }

    /// <summary>The models of <paramref name="options"/>, normalised if asked, with unique labels that are not "None".</summary>
    internal static Model3D[] Resolve(SyntheticSceneOptions options)
    {
        var models = options.Models is { } given
            ? given.Select((m, i) => m ?? throw new ArgumentException($"Models[{i}] is null.", nameof(options))).ToArray()
            : (options.ModelNames ?? throw new ArgumentException("ModelNames is null.", nameof(options))).Select(Resolve).ToArray();
        if (models.Length == 0) throw new ArgumentException("Synthetic scenes need at least one model.", nameof(options));
        if (options.NormalizeModelRadius is float radius) models = models.Select(m => m.Normalized(radius)).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in models)
        {
            if (m.Name == SceneColumns.NoneLabel)
                throw new ArgumentException($"A model may not be called \"{SceneColumns.NoneLabel}\": that label is for background-only rows.", nameof(options));
            if (!seen.Add(m.Name))
                throw new ArgumentException($"Two models are called \"{m.Name}\"; labels must be unique (rename a file or use Model3D.WithName).", nameof(options));
        }
        return models;
    }
}
