using System.Text.Json;

namespace MLRobust.Rendering.Gltf;

/// <summary>
/// A JSON value together with its JSON pointer, with strictly typed reads: every type mismatch,
/// missing required property or out-of-range index becomes a <see cref="GltfException"/> that names
/// the file and the pointer.
/// </summary>
internal readonly struct GltfJson
{
    public readonly JsonElement Element;
    public readonly string Pointer;
    public readonly string Source;

    public GltfJson(JsonElement element, string pointer, string source)
    {
        Element = element;
        Pointer = pointer;
        Source = source;
    }

    public GltfException Error(string message) => new($"{Source}: {(Pointer.Length == 0 ? "/" : Pointer)}: {message}");

    public GltfException ErrorAt(string property, string message) =>
        new($"{Source}: {Pointer}/{property}: {message}");

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Truncate(e.GetString() ?? "")}\"",
        JsonValueKind.Number => $"the number {Truncate(e.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {e.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    public bool Has(string name) => Element.TryGetProperty(name, out _);

    private bool TryGet(string name, out JsonElement value) => Element.TryGetProperty(name, out value);

    /// <summary>Wraps a child that must be a glTF object (checks its name and extensions too).</summary>
    public GltfJson Child(JsonElement value, string pointer)
    {
        var child = new GltfJson(value, pointer, Source);
        child.CheckCommonProperties();
        return child;
    }

    /// <summary>Every glTF object may carry a string name and an extensions object of objects.</summary>
    public void CheckCommonProperties()
    {
        if (Element.ValueKind != JsonValueKind.Object)
            throw Error($"expected an object but found {Describe(Element)}");
        if (TryGet("name", out var name) && name.ValueKind != JsonValueKind.String)
            throw ErrorAt("name", $"expected a string but found {Describe(name)}");
        if (TryGet("extensions", out var ext))
        {
            if (ext.ValueKind != JsonValueKind.Object)
                throw ErrorAt("extensions", $"expected an object but found {Describe(ext)}");
            foreach (var p in ext.EnumerateObject())
                if (p.Value.ValueKind != JsonValueKind.Object)
                    throw ErrorAt("extensions/" + p.Name, $"expected an object but found {Describe(p.Value)}");
        }
    }

    public GltfJson? OptionalObject(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object)
            throw ErrorAt(name, $"expected an object but found {Describe(v)}");
        return Child(v, Pointer + "/" + name);
    }

    public GltfJson RequiredObject(string name) =>
        OptionalObject(name) ?? throw ErrorAt(name, "required property is missing");

    /// <summary>The elements of an optional array of glTF objects (empty when absent).</summary>
    public List<GltfJson> ObjectArray(string name)
    {
        var list = new List<GltfJson>();
        if (!TryGet(name, out var v)) return list;
        if (v.ValueKind != JsonValueKind.Array)
            throw ErrorAt(name, $"expected an array but found {Describe(v)}");
        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            var pointer = $"{Pointer}/{name}/{i}";
            if (item.ValueKind != JsonValueKind.Object)
                throw new GltfException($"{Source}: {pointer}: expected an object but found {Describe(item)}");
            list.Add(Child(item, pointer));
            i++;
        }
        return list;
    }

    public string? OptionalString(string name)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String)
            throw ErrorAt(name, $"expected a string but found {Describe(v)}");
        return v.GetString();
    }

    public string RequiredString(string name) =>
        OptionalString(name) ?? throw ErrorAt(name, "required property is missing");

    public bool OptionalBool(string name, bool fallback)
    {
        if (!TryGet(name, out var v)) return fallback;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ErrorAt(name, $"expected a boolean but found {Describe(v)}"),
        };
    }

    public double OptionalNumber(string name, double fallback)
    {
        if (!TryGet(name, out var v)) return fallback;
        return ReadNumber(v, Pointer + "/" + name);
    }

    private double ReadNumber(JsonElement v, string pointer)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
            throw new GltfException($"{Source}: {pointer}: expected a finite number but found {Describe(v)}");
        return d;
    }

    /// <summary>An integer in [min, max]; absent gives <paramref name="fallback"/>.</summary>
    public long OptionalInteger(string name, long fallback, long min = 0, long max = long.MaxValue)
    {
        if (!TryGet(name, out var v)) return fallback;
        return ReadInteger(v, Pointer + "/" + name, min, max);
    }

    public long RequiredInteger(string name, long min = 0, long max = long.MaxValue)
    {
        if (!TryGet(name, out var v)) throw ErrorAt(name, "required property is missing");
        return ReadInteger(v, Pointer + "/" + name, min, max);
    }

    private long ReadInteger(JsonElement v, string pointer, long min, long max)
    {
        if (v.ValueKind != JsonValueKind.Number)
            throw new GltfException($"{Source}: {pointer}: expected an integer but found {Describe(v)}");
        long value;
        if (!v.TryGetInt64(out value))
        {
            // Integers written as 3.0 are still integers in JSON; anything else is not.
            if (!v.TryGetDouble(out var d) || d != Math.Floor(d) || Math.Abs(d) > 9e15)
                throw new GltfException($"{Source}: {pointer}: expected an integer but found {Describe(v)}");
            value = (long)d;
        }
        if (value < min || value > max)
            throw new GltfException($"{Source}: {pointer}: {value} is out of range [{min}, {(max == long.MaxValue ? "inf" : max.ToString())}]");
        return value;
    }

    /// <summary>An index into a top-level array of <paramref name="count"/> elements.</summary>
    public int? OptionalIndex(string name, int count, string collection)
    {
        if (!TryGet(name, out var v)) return null;
        return ReadIndex(v, Pointer + "/" + name, count, collection);
    }

    public int RequiredIndex(string name, int count, string collection)
    {
        if (!TryGet(name, out var v)) throw ErrorAt(name, "required property is missing");
        return ReadIndex(v, Pointer + "/" + name, count, collection);
    }

    private int ReadIndex(JsonElement v, string pointer, int count, string collection)
    {
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var i))
            throw new GltfException($"{Source}: {pointer}: expected an index (non-negative integer) but found {Describe(v)}");
        if (i < 0)
            throw new GltfException($"{Source}: {pointer}: index must be a non-negative integer but is {i}");
        if (i >= count)
            throw new GltfException($"{Source}: {pointer}: index {i} does not exist ({collection} has {count} element{(count == 1 ? "" : "s")})");
        return (int)i;
    }

    /// <summary>An optional array of indices into a top-level array.</summary>
    public int[] IndexArray(string name, int count, string collection)
    {
        if (!TryGet(name, out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array)
            throw ErrorAt(name, $"expected an array but found {Describe(v)}");
        var result = new int[v.GetArrayLength()];
        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            result[i] = ReadIndex(item, $"{Pointer}/{name}/{i}", count, collection);
            i++;
        }
        return result;
    }

    /// <summary>An optional array of exactly <paramref name="length"/> finite numbers.</summary>
    public double[]? OptionalNumberArray(string name, int length)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array)
            throw ErrorAt(name, $"expected an array but found {Describe(v)}");
        if (v.GetArrayLength() != length)
            throw ErrorAt(name, $"expected {length} numbers but found {v.GetArrayLength()}");
        var result = new double[length];
        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            result[i] = ReadNumber(item, $"{Pointer}/{name}/{i}");
            i++;
        }
        return result;
    }

    /// <summary>An optional array of 1 to <paramref name="maxLength"/> finite numbers (accessor min/max).</summary>
    public double[]? OptionalNumberList(string name, int maxLength)
    {
        if (!TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array)
            throw ErrorAt(name, $"expected an array but found {Describe(v)}");
        if (v.GetArrayLength() > maxLength)
            throw ErrorAt(name, $"expected at most {maxLength} numbers but found {v.GetArrayLength()}");
        var result = new double[v.GetArrayLength()];
        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            result[i] = ReadNumber(item, $"{Pointer}/{name}/{i}");
            i++;
        }
        return result;
    }

    /// <summary>An optional array of strings.</summary>
    public string[] StringArray(string name)
    {
        if (!TryGet(name, out var v)) return [];
        if (v.ValueKind != JsonValueKind.Array)
            throw ErrorAt(name, $"expected an array but found {Describe(v)}");
        var result = new string[v.GetArrayLength()];
        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new GltfException($"{Source}: {Pointer}/{name}/{i}: expected a string but found {Describe(item)}");
            result[i++] = item.GetString()!;
        }
        return result;
    }

    /// <summary>The properties of an optional object whose values are indices (mesh attributes).</summary>
    public List<(string Name, int Index)> IndexMap(string name, int count, string collection)
    {
        var list = new List<(string, int)>();
        if (!TryGet(name, out var v)) return list;
        if (v.ValueKind != JsonValueKind.Object)
            throw ErrorAt(name, $"expected an object but found {Describe(v)}");
        foreach (var p in v.EnumerateObject())
            list.Add((p.Name, ReadIndex(p.Value, $"{Pointer}/{name}/{p.Name}", count, collection)));
        return list;
    }
}
