using System.Text.Json;
using System.Text.Json.Nodes;
using MLRobust.ML.Data;

namespace MLRobust.ML;

/// <summary>Writes and reads a schema (visible columns, their types, and their KeyValues/SlotNames annotations) as JSON.</summary>
internal static class SchemaJson
{
    private static readonly string[] s_persistedAnnotations = { AnnotationUtils.Kinds.KeyValues, AnnotationUtils.Kinds.SlotNames };

    internal static byte[] Write(DataViewSchema schema)
    {
        var columns = new JsonArray();
        foreach (var column in schema.Where(c => !c.IsHidden))
        {
            var node = new JsonObject { ["name"] = column.Name, ["type"] = WriteType(column.Type) };
            var annotations = new JsonObject();
            foreach (var kind in s_persistedAnnotations)
            {
                if (column.Annotations.Schema.GetColumnOrNull(kind) is not { } a || a.Type is not VectorDataViewType v || !IsPersistable(v.ItemType)) continue;
                annotations[kind] = new JsonObject { ["type"] = WriteType(a.Type), ["values"] = ReadValues(column.Annotations, a, v) };
            }
            if (annotations.Count > 0) node["annotations"] = annotations;
            columns.Add(node);
        }
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["columns"] = columns }, ModelJson.Options);
    }

    internal static DataViewSchema Read(byte[] data, string source)
    {
        try
        {
            var root = JsonNode.Parse(data, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new FormatException("not a JSON object");
            var builder = new DataViewSchema.Builder();
            foreach (var node in root["columns"] as JsonArray ?? throw new FormatException("no 'columns' array"))
            {
                var name = (string?)node?["name"] ?? throw new FormatException("a column has no name");
                var type = ReadType(node!["type"]);
                DataViewSchema.Annotations? annotations = null;
                if (node["annotations"] is JsonObject a)
                {
                    var ab = new DataViewSchema.Annotations.Builder();
                    foreach (var (kind, value) in a)
                    {
                        if (!s_persistedAnnotations.Contains(kind)) throw new FormatException($"unknown annotation '{kind}'");
                        var annotationType = ReadType(value?["type"]) as VectorDataViewType ?? throw new FormatException($"annotation '{kind}' is not a vector");
                        AddValues(ab, kind, annotationType, value!["values"] as JsonArray ?? throw new FormatException($"annotation '{kind}' has no values"));
                    }
                    annotations = ab.ToAnnotations();
                }
                builder.AddColumn(name, type, annotations);
            }
            return builder.ToSchema();
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new ModelFormatException($"Model file '{source}': the input schema entry is invalid: {ex.Message}", ex);
        }
    }

    internal static JsonNode WriteType(DataViewType type) => type switch
    {
        NumberDataViewType n => new JsonObject { ["kind"] = "number", ["name"] = n.ToString() },
        TextDataViewType => new JsonObject { ["kind"] = "text" },
        BooleanDataViewType => new JsonObject { ["kind"] = "boolean" },
        KeyDataViewType k => new JsonObject { ["kind"] = "key", ["raw"] = NumberDataViewType.FromRawType(k.RawType)!.ToString(), ["count"] = k.Count },
        VectorDataViewType v => new JsonObject { ["kind"] = "vector", ["item"] = WriteType(v.ItemType), ["dims"] = new JsonArray(v.Dimensions.Select(d => (JsonNode)d).ToArray()) },
        ImageDataViewType i => new JsonObject { ["kind"] = "image", ["height"] = i.Height, ["width"] = i.Width },
        _ => throw new InvalidOperationException($"Columns of type {type} can't be saved in a model's schema."),
    };

    internal static DataViewType ReadType(JsonNode? node)
    {
        var kind = (string?)node?["kind"] ?? throw new FormatException("a type has no kind");
        switch (kind)
        {
            case "number":
                return NumberByName((string?)node!["name"]);
            case "text":
                return TextDataViewType.Instance;
            case "boolean":
                return BooleanDataViewType.Instance;
            case "key":
                return new KeyDataViewType(NumberByName((string?)node!["raw"]).RawType, (ulong?)node["count"] ?? throw new FormatException("a key type has no count"));
            case "vector":
                var item = ReadType(node!["item"]) as PrimitiveDataViewType ?? throw new FormatException("a vector's item type must be primitive");
                var dims = (node["dims"] as JsonArray ?? throw new FormatException("a vector type has no dims")).Select(d => (int?)d ?? throw new FormatException("bad vector dimension")).ToArray();
                if (dims.Length > 16 || dims.Any(d => d < 0)) throw new FormatException("bad vector dimensions");
                return new VectorDataViewType(item, dims);
            case "image":
                return new ImageDataViewType((int?)node!["height"] ?? 0, (int?)node["width"] ?? 0);
            default:
                throw new FormatException($"unknown column type kind '{kind}'");
        }
    }

    private static NumberDataViewType NumberByName(string? name) => name switch
    {
        "SByte" => NumberDataViewType.SByte,
        "Byte" => NumberDataViewType.Byte,
        "Int16" => NumberDataViewType.Int16,
        "UInt16" => NumberDataViewType.UInt16,
        "Int32" => NumberDataViewType.Int32,
        "UInt32" => NumberDataViewType.UInt32,
        "Int64" => NumberDataViewType.Int64,
        "UInt64" => NumberDataViewType.UInt64,
        "Single" => NumberDataViewType.Single,
        "Double" => NumberDataViewType.Double,
        _ => throw new FormatException($"unknown number type '{name}'"),
    };

    private static bool IsPersistable(PrimitiveDataViewType type) => type is TextDataViewType or NumberDataViewType or BooleanDataViewType;

    private static JsonArray ReadValues(DataViewSchema.Annotations annotations, DataViewSchema.Column column, VectorDataViewType type)
    {
        var method = typeof(SchemaJson).GetMethod(nameof(ReadValuesOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type.ItemType.RawType);
        return (JsonArray)method.Invoke(null, new object[] { annotations, column })!;
    }

    private static JsonArray ReadValuesOf<T>(DataViewSchema.Annotations annotations, DataViewSchema.Column column)
    {
        var buffer = default(VBuffer<T>);
        annotations.GetGetter<VBuffer<T>>(column)(ref buffer);
        return new JsonArray(buffer.DenseValues().Select(v => v is ReadOnlyMemory<char> m ? JsonValue.Create(m.ToString()) : (JsonNode?)JsonValue.Create(v)).ToArray());
    }

    private static void AddValues(DataViewSchema.Annotations.Builder builder, string kind, VectorDataViewType type, JsonArray values)
    {
        if (type.IsKnownSize && values.Count != type.Size) throw new FormatException($"annotation '{kind}' lists {values.Count} values for a {type}");
        var method = typeof(SchemaJson).GetMethod(nameof(AddValuesOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type.ItemType.RawType);
        method.Invoke(null, new object[] { builder, kind, type, values });
    }

    private static void AddValuesOf<T>(DataViewSchema.Annotations.Builder builder, string kind, VectorDataViewType type, JsonArray values)
    {
        var items = values.Select(v =>
        {
            if (typeof(T) == typeof(ReadOnlyMemory<char>)) return (T)(object)((string?)v ?? throw new FormatException($"annotation '{kind}' holds a non-text value")).AsMemory();
            return v is null ? throw new FormatException($"annotation '{kind}' holds null") : v.GetValue<T>();
        }).ToArray();
        builder.Add(kind, type, (ref VBuffer<T> dst) => new VBuffer<T>(items.Length, items).CopyTo(ref dst));
    }
}
