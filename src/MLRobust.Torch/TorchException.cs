using System.Runtime.InteropServices;

namespace MLRobust.Torch;

/// <summary>An error reported by libtorch (shape mismatch, wrong dtype, unavailable device, …),
/// carrying libtorch's own message. Derives from <see cref="ExternalException"/> as TorchSharp's
/// errors do, so code that catches those keeps working.</summary>
public class TorchException : ExternalException
{
    public TorchException(string message) : base(message) { }
    public TorchException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The operation that failed, e.g. "aten::matmul".</summary>
    public string? Operation { get; init; }

    internal static TorchException FromNative(string context, string message)
        => new($"{context}: {message.Trim()}") { Operation = context };
}
