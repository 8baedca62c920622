using MLRobust.Rendering.DataViews;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Rendering.Scenes;

namespace MLRobust.Rendering.Tests;

public class SceneFolderTests
{
    private static Dictionary<string, float[]>[] ReadAll(IDataView view)
    {
        var rows = new List<Dictionary<string, float[]>>();
        using var c = view.GetRowCursor(view.Schema);
        while (c.MoveNext())
        {
            var row = new Dictionary<string, float[]>();
            foreach (var name in new[] { "Image", "CleanImage", "Alpha", "Parameters" })
            {
                VBuffer<float> v = default;
                c.GetGetter<VBuffer<float>>(view.Schema[name])(ref v);
                row[name] = v.DenseValues().ToArray();
            }
            uint k = 0;
            c.GetGetter<uint>(view.Schema["Label"])(ref k);
            row["Label"] = [k];
            rows.Add(row);
        }
        return rows.ToArray();
    }

    [Fact]
    public void Export_then_load_gives_the_same_columns_within_quantisation()
    {
        using var temp = new TempFolder();
        var ml = new MLContext(0);
        var view = ml.Data.LoadFromSyntheticScenes(new SyntheticSceneOptions { Count = 12, Seed = 5, ImageSize = 24, NoneFraction = 0.3f });
        Assert.Equal(12, ml.Data.SaveSyntheticScenes(view, temp.Path));
        var loaded = ml.Data.LoadFromRenderedFolder(temp.Path);

        Assert.Equal(view.Schema.Select(c => (c.Name, c.Type)), loaded.Schema.Select(c => (c.Name, c.Type)));
        Assert.Equal(view.Schema["Label"].GetKeyValueNames(), loaded.Schema["Label"].GetKeyValueNames());
        var a = ReadAll(view);
        var b = ReadAll(loaded);
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i]["Label"], b[i]["Label"]);
            Assert.Equal(a[i]["Parameters"], b[i]["Parameters"]); // exact: the manifest stores round-trip floats
            foreach (var image in new[] { "Image", "CleanImage", "Alpha" })
                for (int p = 0; p < a[i][image].Length; p++)
                    Assert.InRange(Math.Abs(a[i][image][p] - b[i][image][p]), 0, 0.5f / 255 + 1e-6f);
        }

        var lines = File.ReadAllLines(temp["manifest.csv"]);
        Assert.Equal("file,alpha_file,label,rx,ry,rz,scale,shift_x,shift_y,clean_file", lines[0]);
        Assert.Equal(13, lines.Length);
        var first = view.Describe(0);
        var fields = lines[1].Split(',');
        Assert.Equal(first.Label, fields[2]);
        if (!first.IsNone) Assert.Equal(first.Pose.Rx, float.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(File.Exists(temp[fields[0]]) && File.Exists(temp[fields[1]]) && File.Exists(temp[fields[9]]));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories));

        // Saving the loaded folder again reproduces the manifest exactly.
        using var again = new TempFolder();
        ml.Data.SaveSyntheticScenes(loaded, again.Path);
        Assert.Equal(File.ReadAllText(temp["manifest.csv"]), File.ReadAllText(again["manifest.csv"]));
    }

    [Fact]
    public void Loading_a_bad_folder_names_the_file_and_line()
    {
        using var temp = new TempFolder();
        var ml = new MLContext();
        Assert.Throws<FileNotFoundException>(() => ml.Data.LoadFromRenderedFolder(temp.Path));
        File.WriteAllText(temp["manifest.csv"], "file,alpha_file,label,rx,ry,rz\na.png,b.png,monkey,0.1,zero,0\n");
        var e = Assert.Throws<InvalidDataException>(() => ml.Data.LoadFromRenderedFolder(temp.Path));
        Assert.Contains("manifest.csv:2", e.Message);
        Assert.Contains("'ry'", e.Message);
        File.WriteAllText(temp["manifest.csv"], "file,label\na.png,monkey\n");
        Assert.Contains("alpha_file", Assert.Throws<InvalidDataException>(() => ml.Data.LoadFromRenderedFolder(temp.Path)).Message);
    }

    [Fact]
    public void Saving_the_same_scenes_twice_writes_identical_bytes_whatever_the_parallelism()
    {
        using var a = new TempFolder();
        using var b = new TempFolder();
        SyntheticSceneOptions Options(int batch, int threads) => new() { Count = 30, Seed = 9, ImageSize = 32, BatchSize = batch, MaxDegreeOfParallelism = threads };
        var ml = new MLContext();
        ml.Data.SaveSyntheticScenes(ml.Data.LoadFromSyntheticScenes(Options(8, 2)), a.Path);
        ml.Data.SaveSyntheticScenes(ml.Data.LoadFromSyntheticScenes(Options(5, 1)), b.Path);
        var files = Directory.GetFiles(a.Path).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(30 * 3 + 2, files.Length);
        Assert.Equal(files, Directory.GetFiles(b.Path).Select(Path.GetFileName).Order());
        foreach (var f in files)
            Assert.True(File.ReadAllBytes(Path.Combine(a.Path, f!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b.Path, f!))), $"{f} differs");
    }

    [Fact]
    public void Pose_files_are_read_with_defaults_and_checked()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp["poses.csv"], "rx,ry,rz,scale\n0.1,-0.2,0.3,\n0,0,0.5,2\n");
        var poses = ScenePoseFile.Read(temp["poses.csv"]);
        Assert.Equal([new Raster.Pose(0.1f, -0.2f, 0.3f), new Raster.Pose(0, 0, 0.5f) { Scale = 2 }], poses);
        File.WriteAllText(temp["bad.csv"], "rx,ry\n0.1,0.2\n");
        Assert.Contains("'rz'", Assert.Throws<InvalidDataException>(() => ScenePoseFile.Read(temp["bad.csv"])).Message);
        File.WriteAllText(temp["bad.csv"], "rx,ry,rz\n0.1,0.2,x\n");
        Assert.Contains("bad.csv:2", Assert.Throws<InvalidDataException>(() => ScenePoseFile.Read(temp["bad.csv"])).Message);
    }
}
