using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLRobust.ML;

/// <summary>The JSON settings of model files: fields included, NaN and infinities allowed, depth bounded.</summary>
internal static class ModelJson
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        IncludeFields = true,
        WriteIndented = true,
        MaxDepth = 64,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
