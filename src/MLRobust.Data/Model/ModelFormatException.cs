namespace MLRobust.ML;

/// <summary>A model file can't be loaded: not a model, truncated, tampered, too large, written by a newer
/// version, or naming a component nobody registered. The message names the file and the part at fault.</summary>
public class ModelFormatException : FormatException
{
    public ModelFormatException(string message) : base(message) { }

    public ModelFormatException(string message, Exception inner) : base(message, inner) { }
}
