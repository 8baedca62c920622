using TorchSharp;
using static TorchSharp.torch;
namespace MLRobust.Serialization;

/// <summary>One tensor entry of a validated safetensors header. Offsets are relative to the start
/// of the data section (the byte after the header).</summary>
public sealed record SafeTensorsTensorInfo(string Name, string DType, ScalarType ScalarType, IReadOnlyList<long> Shape, long DataBegin, long DataEnd)
{
    /// <summary>Number of bytes the tensor occupies in the data section.</summary>
    public long ByteLength => DataEnd - DataBegin;

    public long NumberOfElements => Shape.Aggregate(1L, (a, b) => a * b);
}
