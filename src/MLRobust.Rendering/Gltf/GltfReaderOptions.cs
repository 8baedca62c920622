namespace MLRobust.Rendering.Gltf;

/// <summary>Limits and choices for <see cref="GltfReader"/>.</summary>
public sealed class GltfReaderOptions
{
    /// <summary>
    /// The most decoded numbers (vertex components, indices, texels) one file may produce, counting
    /// every node instance of a mesh. It bounds memory for hostile or absurd files; 64 Mi by default.
    /// </summary>
    public long MaxElements = 64L << 20;

    /// <summary>Decode base colour textures (PNG/JPEG); when false, materials keep only their factors.</summary>
    public bool LoadTextures = true;

    /// <summary>The model's name; by default the file name without extension.</summary>
    public string? Name;
}
