namespace MLRobust.Rendering.Gltf;

/// <summary>
/// A glTF file is malformed, inconsistent, or needs something MLRobust does not support.
/// The message names the file and the JSON pointer (or byte range) of the offending part.
/// </summary>
public sealed class GltfException : Exception
{
    public GltfException(string message) : base(message) { }

    public GltfException(string message, Exception inner) : base(message, inner) { }
}
