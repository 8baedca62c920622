using TorchSharp;
using static TorchSharp.torch;
namespace MLRobust.Serialization;

/// <summary>A safetensors file (or stream) that breaks the format: bad header length, malformed
/// JSON, unknown dtype, inconsistent shape and offsets, truncated data. The message names the
/// source, the tensor and the problem.</summary>
public class SafeTensorsFormatException : FormatException
{
    public SafeTensorsFormatException(string message) : base(message) { }
    public SafeTensorsFormatException(string message, Exception inner) : base(message, inner) { }
}
