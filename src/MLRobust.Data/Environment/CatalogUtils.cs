namespace MLRobust.ML;

/// <summary>Gives extension methods the environment behind a catalog (ML.NET keeps this internal).</summary>
public static class CatalogUtils
{
    public static IHostEnvironment GetEnvironment(CatalogBase catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Environment;
    }
}

/// <summary>The base of every catalog: each exposes the environment of the context it belongs to.</summary>
public abstract class CatalogBase
{
    protected CatalogBase(IHostEnvironment environment) =>
        Environment = environment ?? throw new ArgumentNullException(nameof(environment));

    public IHostEnvironment Environment { get; }
}
