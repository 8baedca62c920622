using System.Buffers.Binary;

namespace MLRobust.Rendering.Gltf;

/// <summary>
/// Decodes accessors to flat arrays: strided buffer views, normalized integers, sparse overrides.
/// Every count, offset and stride is checked against the bytes that are really there before an
/// array is allocated, so a hostile file cannot make the reader allocate more than it holds.
/// </summary>
internal sealed class GltfAccessors
{
    public const int Byte = 5120, UnsignedByte = 5121, Short = 5122, UnsignedShort = 5123, UnsignedInt = 5125, Float = 5126;

    private readonly GltfDocument _doc;
    private readonly Dictionary<int, float[]> _floatCache = new();
    private readonly Dictionary<int, int[]> _indexCache = new();

    public GltfAccessors(GltfDocument doc) => _doc = doc;

    /// <summary>What an accessor declares, validated.</summary>
    public readonly record struct Info(int ComponentType, int Components, string Type, int Count, bool Normalized, int? BufferView, long ByteOffset)
    {
        public int ComponentSize => ComponentType switch { Byte or UnsignedByte => 1, Short or UnsignedShort => 2, _ => 4 };
    }

    public Info Describe(int index)
    {
        var acc = _doc.Accessors[index];
        int componentType = (int)acc.RequiredInteger("componentType", 0, int.MaxValue);
        if (componentType is not (Byte or UnsignedByte or Short or UnsignedShort or UnsignedInt or Float))
            throw acc.ErrorAt("componentType", $"{componentType} is not a glTF component type (5120, 5121, 5122, 5123, 5125, 5126)");
        var type = acc.RequiredString("type");
        int components = type switch
        {
            "SCALAR" => 1, "VEC2" => 2, "VEC3" => 3, "VEC4" => 4, "MAT2" => 4, "MAT3" => 9, "MAT4" => 16,
            _ => throw acc.ErrorAt("type", $"\"{type}\" is not SCALAR, VEC2, VEC3, VEC4, MAT2, MAT3 or MAT4"),
        };
        long count = acc.RequiredInteger("count", 1, int.MaxValue);
        bool normalized = acc.OptionalBool("normalized", false);
        if (normalized && componentType is Float or UnsignedInt)
            throw acc.ErrorAt("normalized", "only 8- and 16-bit integer components can be normalized");
        int? view = acc.OptionalIndex("bufferView", _doc.BufferViews.Count, "bufferViews");
        long byteOffset = acc.OptionalInteger("byteOffset", 0, 0);
        if (view is null && acc.Has("byteOffset"))
            throw acc.ErrorAt("byteOffset", "byteOffset without a bufferView");
        acc.OptionalNumberList("min", components);
        acc.OptionalNumberList("max", components);
        return new Info(componentType, components, type, (int)count, normalized, view, byteOffset);
    }

    /// <summary>The accessor's elements as floats (normalized integers mapped to [-1, 1] or [0, 1]).</summary>
    public float[] ReadFloats(int index)
    {
        if (_floatCache.TryGetValue(index, out var cached)) return cached;
        var acc = _doc.Accessors[index];
        var info = Describe(index);
        if (info.Type.StartsWith("MAT", StringComparison.Ordinal))
            throw acc.ErrorAt("type", $"{info.Type} accessors are not used by meshes");
        long total = (long)info.Count * info.Components;
        if (info.BufferView is int viewIndex)
        {
            var (bytes, stride) = CheckedView(acc, info, viewIndex);
            _doc.Spend(total, acc);
            var result = new float[total];
            var span = bytes.Span;
            for (int i = 0; i < info.Count; i++)
                DecodeElement(span, info.ByteOffset + (long)i * stride, info, result.AsSpan(i * info.Components, info.Components));
            ApplySparse(acc, info, result);
            _floatCache[index] = result;
            return result;
        }
        if (!acc.Has("sparse"))
            throw acc.Error("the accessor has neither a bufferView nor sparse values, so it holds no data");
        // Zero-initialised data need no bytes, so bound them by the budget before allocating.
        _doc.Spend(total, acc);
        var zeros = new float[total];
        ApplySparse(acc, info, zeros);
        _floatCache[index] = zeros;
        return zeros;
    }

    /// <summary>An index accessor (SCALAR u8/u16/u32), each value checked against <paramref name="vertexCount"/>.</summary>
    public int[] ReadIndices(int index, int vertexCount, GltfJson primitive)
    {
        var acc = _doc.Accessors[index];
        var info = Describe(index);
        if (info.Type != "SCALAR" || info.ComponentType is not (UnsignedByte or UnsignedShort or UnsignedInt) || info.Normalized)
            throw primitive.ErrorAt("indices", $"accessor {index} must be a non-normalized SCALAR of unsigned bytes, shorts or ints, but is {info.Type} of component type {info.ComponentType}");
        if (!_indexCache.TryGetValue(index, out var values))
        {
            var floats = ReadFloats(index);
            values = new int[floats.Length];
            for (int i = 0; i < floats.Length; i++)
                values[i] = (int)(uint)floats[i];
            // u32 values above 2^24 lose precision through float: re-read those exactly.
            if (info.ComponentType == UnsignedInt)
                ReadUInt32Exact(acc, info, values);
            _indexCache[index] = values;
        }
        long restart = info.ComponentType switch { UnsignedByte => 255, UnsignedShort => 65535, _ => uint.MaxValue };
        for (int i = 0; i < values.Length; i++)
        {
            long v = (uint)values[i];
            if (v == restart)
                throw primitive.ErrorAt("indices", $"index element {i} is the primitive-restart value {v}, which glTF forbids");
            if (v >= vertexCount)
                throw primitive.ErrorAt("indices", $"index element {i} has value {v}, but the primitive has only {vertexCount} vertices");
        }
        return values;
    }

    private void ReadUInt32Exact(GltfJson acc, Info info, int[] values)
    {
        if (info.BufferView is int viewIndex)
        {
            var (bytes, stride) = CheckedView(acc, info, viewIndex);
            var span = bytes.Span;
            for (int i = 0; i < info.Count; i++)
                values[i] = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(info.ByteOffset + (long)i * stride)..]);
        }
        else
            Array.Clear(values);
        if (acc.OptionalObject("sparse") is not { } sparse) return;
        var (indices, valueBytes) = SparseLayout(acc, sparse, info);
        for (int k = 0; k < indices.Length; k++)
            values[indices[k]] = (int)BinaryPrimitives.ReadUInt32LittleEndian(valueBytes.Span[(k * 4)..]);
    }

    private (ReadOnlyMemory<byte> Bytes, int Stride) CheckedView(GltfJson acc, Info info, int viewIndex)
    {
        var (bytes, byteStride) = _doc.BufferView(viewIndex);
        int elementSize = info.ComponentSize * info.Components;
        int stride = byteStride == 0 ? elementSize : byteStride;
        if (stride < elementSize)
            throw _doc.BufferViews[viewIndex].ErrorAt("byteStride", $"{stride} is smaller than the {elementSize}-byte elements of accessor {acc.Pointer}");
        if (info.ByteOffset % info.ComponentSize != 0)
            throw acc.ErrorAt("byteOffset", $"{info.ByteOffset} is not a multiple of the component size {info.ComponentSize}");
        long end = info.ByteOffset + (long)stride * (info.Count - 1) + elementSize;
        if (end > bytes.Length)
            throw acc.Error($"{info.Count} elements of {elementSize} bytes with stride {stride} from byte {info.ByteOffset} need {end} bytes, but bufferView {viewIndex} has {bytes.Length}");
        return (bytes, stride);
    }

    private void ApplySparse(GltfJson acc, Info info, float[] result)
    {
        if (acc.OptionalObject("sparse") is not { } sparse) return;
        var (indices, valueBytes) = SparseLayout(acc, sparse, info);
        int elementSize = info.ComponentSize * info.Components;
        var span = valueBytes.Span;
        for (int k = 0; k < indices.Length; k++)
            DecodeElement(span, (long)k * elementSize, info, result.AsSpan(indices[k] * info.Components, info.Components));
    }

    /// <summary>The strictly increasing target indices of a sparse accessor and its tightly packed values.</summary>
    private (int[] Indices, ReadOnlyMemory<byte> Values) SparseLayout(GltfJson acc, GltfJson sparse, Info info)
    {
        int count = (int)sparse.RequiredInteger("count", 1, info.Count);
        var indicesJson = sparse.RequiredObject("indices");
        var valuesJson = sparse.RequiredObject("values");

        int indexType = (int)indicesJson.RequiredInteger("componentType", 0, int.MaxValue);
        int indexSize = indexType switch
        {
            UnsignedByte => 1, UnsignedShort => 2, UnsignedInt => 4,
            _ => throw indicesJson.ErrorAt("componentType", $"{indexType} is not 5121, 5123 or 5125"),
        };
        var indexView = _doc.BufferView(indicesJson.RequiredIndex("bufferView", _doc.BufferViews.Count, "bufferViews")).Bytes;
        long indexOffset = indicesJson.OptionalInteger("byteOffset", 0, 0);
        if (indexOffset > indexView.Length || (long)count * indexSize > indexView.Length - indexOffset)
            throw indicesJson.Error($"{count} sparse indices of {indexSize} bytes from byte {indexOffset} do not fit their bufferView of {indexView.Length} bytes");

        int elementSize = info.ComponentSize * info.Components;
        var valueView = _doc.BufferView(valuesJson.RequiredIndex("bufferView", _doc.BufferViews.Count, "bufferViews")).Bytes;
        long valueOffset = valuesJson.OptionalInteger("byteOffset", 0, 0);
        if (valueOffset > valueView.Length || (long)count * elementSize > valueView.Length - valueOffset)
            throw valuesJson.Error($"{count} sparse values of {elementSize} bytes from byte {valueOffset} do not fit their bufferView of {valueView.Length} bytes");

        _doc.Spend(count, sparse);
        var indices = new int[count];
        var span = indexView.Span[(int)indexOffset..];
        long previous = -1;
        for (int k = 0; k < count; k++)
        {
            long target = indexSize switch
            {
                1 => span[k],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * k)..]),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(span[(4 * k)..]),
            };
            if (target <= previous)
                throw indicesJson.Error($"sparse index {k} ({target}) is not greater than the previous one ({previous})");
            if (target >= info.Count)
                throw indicesJson.Error($"sparse index {k} ({target}) is out of range for an accessor of {info.Count} elements");
            indices[k] = (int)target;
            previous = target;
        }
        return (indices, valueView[(int)valueOffset..]);
    }

    private static void DecodeElement(ReadOnlySpan<byte> bytes, long offset, Info info, Span<float> destination)
    {
        var span = bytes[(int)offset..];
        for (int c = 0; c < destination.Length; c++)
        {
            destination[c] = info.ComponentType switch
            {
                Float => BinaryPrimitives.ReadSingleLittleEndian(span[(4 * c)..]),
                UnsignedByte => info.Normalized ? span[c] / 255f : span[c],
                Byte => info.Normalized ? MathF.Max((sbyte)span[c] / 127f, -1f) : (sbyte)span[c],
                UnsignedShort => info.Normalized
                    ? BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * c)..]) / 65535f
                    : BinaryPrimitives.ReadUInt16LittleEndian(span[(2 * c)..]),
                Short => info.Normalized
                    ? MathF.Max(BinaryPrimitives.ReadInt16LittleEndian(span[(2 * c)..]) / 32767f, -1f)
                    : BinaryPrimitives.ReadInt16LittleEndian(span[(2 * c)..]),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(span[(4 * c)..]),
            };
        }
    }
}
