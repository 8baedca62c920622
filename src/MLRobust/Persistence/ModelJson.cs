using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLRobust.Persistence;

/// <summary>The JSON settings of component parameters: fields included, NaN and infinities allowed, depth bounded.</summary>
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
