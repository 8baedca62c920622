using TorchSharp;
using static TorchSharp.torch;
namespace MLRobust.Serialization;

/// <summary>The safetensors dtype codes and the libtorch element types they map to.</summary>
internal static class SafeTensorsDType
{
    private static readonly (string Code, ScalarType Type)[] s_supported =
    {
        ("F64", ScalarType.Float64), ("F32", ScalarType.Float32), ("F16", ScalarType.Float16), ("BF16", ScalarType.BFloat16),
        ("I64", ScalarType.Int64), ("I32", ScalarType.Int32), ("I16", ScalarType.Int16), ("I8", ScalarType.Int8),
        ("U8", ScalarType.Byte), ("BOOL", ScalarType.Bool),
    };

    // Valid in the format, but TorchSharp 0.107 has no element type for them.
    private static readonly string[] s_unsupported = { "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "C64" };

    internal static string SupportedList => string.Join(", ", s_supported.Select(s => s.Code));

    /// <summary>The code for a libtorch element type, or null when safetensors has none (complex).</summary>
    internal static string? CodeOf(ScalarType type)
    {
        foreach (var (code, t) in s_supported)
            if (t == type) return code;
        return null;
    }

    /// <summary>The element type of a code, or an explanation of why there is none.</summary>
    internal static bool TryParse(string code, out ScalarType type, out string problem)
    {
        foreach (var (c, t) in s_supported)
        {
            if (c == code)
            {
                type = t;
                problem = "";
                return true;
            }
        }
        type = default;
        problem = Array.IndexOf(s_unsupported, code) >= 0
            ? $"dtype '{code}' is valid safetensors but TorchSharp has no such element type (supported: {SupportedList})"
            : $"unknown dtype '{code}' (expected one of {SupportedList})";
        return false;
    }
}
