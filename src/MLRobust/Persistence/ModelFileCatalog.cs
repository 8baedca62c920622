using MLRobust.Rendering;

namespace Microsoft.ML;

/// <summary>Saving models so that a crash or an error mid-save never leaves a half-written file.</summary>
public static class ModelFileCatalog
{
    /// <summary>
    /// <c>ml.Model.Save</c> into a temporary file beside <paramref name="filePath"/>, renamed over it only once complete:
    /// readers see the old model or the new one, never a partial file (ML.NET's own Save writes in place).
    /// </summary>
    public static void SaveAtomically(this ModelOperationsCatalog catalog, ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        AtomicWrite.Write(filePath, temp => catalog.Save(model, inputSchema, temp));
    }
}
