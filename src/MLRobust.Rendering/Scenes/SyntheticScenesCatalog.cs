using Microsoft.ML.Runtime;
using MLRobust.Rendering.DataViews;
using MLRobust.Rendering.Scenes;

namespace Microsoft.ML;

/// <summary>Synthetic scenes on <c>ml.Data</c>: render posed 3D models over backgrounds, save them to a folder, load them back.</summary>
public static class SyntheticScenesCatalog
{
    /// <summary>
    /// A lazy view of posed renders (columns Image, CleanImage, Alpha, Label, Parameters; see
    /// <see cref="SyntheticSceneDataView"/>). Without <see cref="SyntheticSceneOptions.Seed"/> the seed is
    /// the context's next seed.
    /// </summary>
    public static SyntheticSceneDataView LoadFromSyntheticScenes(this DataOperationsCatalog catalog, SyntheticSceneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        options ??= new SyntheticSceneOptions();
        int seed = options.Seed ?? CatalogEnvironment.NextSeed(CatalogEnvironment.Of(catalog));
        return new SyntheticSceneDataView(options, seed);
    }

    /// <summary>Writes the rows of <paramref name="data"/> to <paramref name="folder"/> (see <see cref="SceneFolder.Save"/>); returns the row count.</summary>
    public static long SaveSyntheticScenes(this DataOperationsCatalog catalog, IDataView data, string folder, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var env = CatalogEnvironment.Of(catalog);
        return SceneFolder.Save(data, folder, new Progress(env, progress));
    }

    /// <summary>Loads a folder written by <see cref="SaveSyntheticScenes"/> or <c>mlrobust render</c>, with the same columns.</summary>
    public static RenderedFolderDataView LoadFromRenderedFolder(this DataOperationsCatalog catalog, string folder)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RenderedFolderDataView(folder);
    }

    /// <summary>Checks for cancellation of the context between rows.</summary>
    private sealed class Progress(IHostEnvironment env, IProgress<long>? inner) : IProgress<long>
    {
        public void Report(long value)
        {
            CatalogEnvironment.CheckAlive(env);
            inner?.Report(value);
        }
    }
}
