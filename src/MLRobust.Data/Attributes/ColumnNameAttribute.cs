namespace MLRobust.ML.Data;

/// <summary>The column a POCO member maps to (default: the member's name).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ColumnNameAttribute : Attribute
{
    public ColumnNameAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    public string Name { get; }
}
