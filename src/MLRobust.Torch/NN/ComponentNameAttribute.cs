namespace MLRobust.Torch;

/// <summary>The name under which RegisterComponents registers a field (instead of the field's own
/// name), so state_dict keys can read "conv1" while the field is called _conv1.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ComponentNameAttribute : Attribute
{
    public ComponentNameAttribute(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"component name '{name}' must be non-empty and contain no '.'", nameof(name));
        Name = name;
    }

    public string Name { get; }
}
