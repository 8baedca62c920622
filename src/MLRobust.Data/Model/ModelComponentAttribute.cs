namespace MLRobust.ML;

/// <summary>
/// Marks a class whose instances can be loaded from model files under <see cref="LoaderSignature"/>. The class
/// declares <c>static T Create(ModelLoadContext ctx)</c> (any accessibility) that reads what its <c>Save</c> wrote.
/// Assemblies are found automatically once loaded; <see cref="ComponentCatalog.RegisterAssembly"/> makes it explicit.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ModelComponentAttribute : Attribute
{
    public ModelComponentAttribute(string loaderSignature)
    {
        ArgumentException.ThrowIfNullOrEmpty(loaderSignature);
        LoaderSignature = loaderSignature;
    }

    public string LoaderSignature { get; }
}
