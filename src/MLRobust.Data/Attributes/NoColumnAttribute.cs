namespace MLRobust.ML.Data;

/// <summary>Keeps a POCO member out of the schema.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class NoColumnAttribute : Attribute
{
}
