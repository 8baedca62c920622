namespace MLRobust.ML.Data;

/// <summary>Declares the dimensions of an array or VBuffer member's vector column (none: variable length).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class VectorTypeAttribute : Attribute
{
    public VectorTypeAttribute() => Dims = Array.Empty<int>();

    public VectorTypeAttribute(int size) => Dims = size > 0 ? new[] { size } : throw new ArgumentOutOfRangeException(nameof(size), "A vector size must be positive.");

    public VectorTypeAttribute(params int[] dimensions)
    {
        Dims = dimensions ?? Array.Empty<int>();
        if (Dims.Any(d => d <= 0)) throw new ArgumentOutOfRangeException(nameof(dimensions), "Vector dimensions must be positive.");
    }

    public int[] Dims { get; }

    public int Size => Dims.Length == 0 ? 0 : Dims.Aggregate(1, (a, b) => a * b);
}
