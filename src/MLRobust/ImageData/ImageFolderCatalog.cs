using Microsoft.ML.Data;

namespace Microsoft.ML;

/// <summary>An image folder on <c>ml.Data</c>: one sub-folder per class, as image datasets are usually laid out.</summary>
public static class ImageFolderCatalog
{
    /// <summary>The path and label of an image of the folder.</summary>
    public sealed class ImageFile
    {
        public string ImagePath { get; set; } = "";
        public string Label { get; set; } = "";
    }

    /// <summary>
    /// Every .png, .jpg or .jpeg file under a class folder of <paramref name="folderPath"/> (searched recursively) becomes
    /// a row {ImagePath: full path, Label: the class folder's name}; ready for ML.NET's <c>LoadImages</c> and
    /// <c>MapValueToKey</c>. Classes and files are sorted ordinally, so the order is the same on every machine. The view
    /// is cached (paths only), so it can shuffle: trainers that read it in passes get the rows in a new order each pass
    /// rather than class after class.
    /// </summary>
    public static IDataView LoadFromImageFolder(this DataOperationsCatalog catalog, string folderPath)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Cache(catalog.LoadFromEnumerable(ListImageFolder(folderPath)));
    }

    /// <summary>The rows <see cref="LoadFromImageFolder"/> gives.</summary>
    public static IReadOnlyList<ImageFile> ListImageFolder(string folderPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(folderPath);
        if (!Directory.Exists(folderPath)) throw new DirectoryNotFoundException($"Image folder '{folderPath}' does not exist.");
        var root = Path.GetFullPath(folderPath);
        var rows = new List<ImageFile>();
        foreach (var classFolder in Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal))
        {
            var label = Path.GetFileName(classFolder);
            var files = Directory.GetFiles(classFolder, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg")
                .OrderBy(f => f, StringComparer.Ordinal);
            rows.AddRange(files.Select(f => new ImageFile { ImagePath = f, Label = label }));
        }
        if (rows.Count == 0)
            throw new InvalidDataException($"Image folder '{folderPath}' holds no class folders with .png or .jpg files.");
        return rows;
    }
}
