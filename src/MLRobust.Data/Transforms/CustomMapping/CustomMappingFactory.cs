namespace MLRobust.ML.Transforms;

/// <summary>Recreates a custom mapping's code when a model that uses it is loaded. Derive from it, mark the class
/// [CustomMappingFactoryAttribute("contractName")] with the contract name given to CustomMapping, and return the
/// same mapping.</summary>
public abstract class CustomMappingFactory<TSrc, TDst>
    where TSrc : class, new()
    where TDst : class, new()
{
    public abstract Action<TSrc, TDst> GetMapping();
}

/// <summary>Names the contract a <see cref="CustomMappingFactory{TSrc, TDst}"/> class implements.
/// (The doubled name is ML.NET's: the attribute is written [CustomMappingFactoryAttribute("name")].)</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CustomMappingFactoryAttributeAttribute : Attribute
{
    public CustomMappingFactoryAttributeAttribute(string contractName)
    {
        ArgumentException.ThrowIfNullOrEmpty(contractName);
        ContractName = contractName;
    }

    public string ContractName { get; }
}
