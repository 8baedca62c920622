using MLRobust.Rendering.DataViews;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Rendering.Models;
using MLRobust.Rendering.Raster;
using MLRobust.Rendering.Scenes;

namespace MLRobust.Rendering.Tests;

public class SyntheticSceneViewTests
{
    private static SyntheticSceneDataView View(int count = 40, int seed = 7, int size = 32, float? none = null, BackgroundKind bg = BackgroundKind.Procedural) =>
        new MLContext(1).Data.LoadFromSyntheticScenes(new SyntheticSceneOptions
        {
            Count = count, Seed = seed, ImageSize = size, NoneFraction = none, Backgrounds = bg, BatchSize = 7, MaxDegreeOfParallelism = 2,
        });

    private static float[] Read(DataViewRow row, string column)
    {
        VBuffer<float> v = default;
        row.GetGetter<VBuffer<float>>(row.Schema[column])(ref v);
        return v.DenseValues().ToArray();
    }

    private static uint Label(DataViewRow row)
    {
        uint k = 0;
        row.GetGetter<uint>(row.Schema[SceneColumns.Label])(ref k);
        return k;
    }

    [Fact]
    public void Schema_has_the_five_columns_with_types_and_key_values()
    {
        var view = View(size: 48);
        var s = view.Schema;
        Assert.Equal(new[] { "Image", "CleanImage", "Alpha", "Label", "Parameters" }, s.Select(c => c.Name));
        var image = new VectorDataViewType(NumberDataViewType.Single, 1, 48, 48);
        Assert.Equal(image, s["Image"].Type);
        Assert.Equal(new[] { 1, 48, 48 }, ((VectorDataViewType)s["CleanImage"].Type).Dimensions);
        Assert.Equal(image, s["Alpha"].Type);
        Assert.Equal(new KeyDataViewType(typeof(uint), 4), s["Label"].Type);
        Assert.Equal(new[] { "monkey", "penguin", "aeroplane", "None" }, s["Label"].GetKeyValueNames());
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), s["Parameters"].Type);
        Assert.Equal(40, view.GetRowCount());
    }

    [Fact]
    public void None_rows_show_only_the_background_and_have_zero_parameters()
    {
        var view = View(count: 60, none: 0.5f);
        using var cursor = view.GetRowCursor(view.Schema);
        int none = 0, objects = 0;
        while (cursor.MoveNext())
        {
            var p = Read(cursor, "Parameters");
            var alpha = Read(cursor, "Alpha");
            var clean = Read(cursor, "CleanImage");
            var image = Read(cursor, "Image");
            if (Label(cursor) == 4)
            {
                none++;
                Assert.All(p, x => Assert.Equal(0f, x));
                Assert.All(alpha, x => Assert.Equal(0f, x));
                Assert.All(clean, x => Assert.Equal(0f, x));
                var bg = new float[32 * 32];
                Backgrounds.ProceduralBackground.Default.Fill(bg, 32, 32, view.Describe(cursor.Position).BackgroundSeed);
                Assert.Equal(bg, image);
            }
            else
            {
                objects++;
                Assert.All(p, x => Assert.InRange(x, 0f, 1f));
                Assert.True(alpha.Sum() > 10, "an object covers some pixels");
            }
        }
        // 60 rows at p = 0.5: both kinds must occur (probability of failure 2^-59).
        Assert.True(none > 0 && objects > 0);
        Assert.InRange(none, 15, 45);
    }

    [Fact]
    public void Image_is_the_clean_render_composited_over_the_background()
    {
        var view = View(count: 5, none: 0f);
        var scene = view.GetScene(3);
        var bg = new float[32 * 32];
        Backgrounds.ProceduralBackground.Default.Fill(bg, 32, 32, scene.Description.BackgroundSeed);
        for (int i = 0; i < bg.Length; i++)
        {
            // clean = I·a, so image = clean + bg·(1 − a).
            Assert.Equal(scene.CleanImage[i] + bg[i] * (1 - scene.Alpha[i]), scene.Image[i], 5);
        }
        Assert.Contains(scene.Alpha, a => a == 1f);
        Assert.Contains(scene.Alpha, a => a > 0 && a < 1);
    }

    [Fact]
    public void Parameters_are_angles_plus_half_drawn_from_the_range()
    {
        var view = View(count: 300, none: 0f);
        var rx = new List<float>();
        for (int i = 0; i < 300; i++)
        {
            var d = view.Describe(i);
            Assert.InRange(d.Pose.Rx, -0.5f, 0.5f);
            Assert.InRange(d.Pose.Ry, -0.5f, 0.5f);
            Assert.InRange(d.Pose.Rz, -0.5f, 0.5f);
            Assert.Equal(new[] { d.Pose.Rx + 0.5f, d.Pose.Ry + 0.5f, d.Pose.Rz + 0.5f }, d.Parameters());
            rx.Add(d.Pose.Rx);
        }
        // Uniform on [-0.5, 0.5]: mean 0 (sd of the mean 0.017), variance 1/12.
        Assert.InRange(rx.Average(), -0.06, 0.06);
        Assert.InRange(rx.Select(x => x * x).Average(), 1 / 12.0 - 0.015, 1 / 12.0 + 0.015);
        // Each model gets about a third of the rows.
        var counts = Enumerable.Range(0, 300).Select(i => view.Describe(i).LabelIndex).GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 70, 130));
    }

    [Fact]
    public void Row_is_a_function_of_seed_and_index_whatever_the_cursor_order()
    {
        var a = View(count: 20);
        var b = View(count: 20);
        var sequential = new Dictionary<long, (uint Label, float[] Image, float[] Params)>();
        using (var c = a.GetRowCursor(a.Schema))
            while (c.MoveNext())
                sequential[c.Position] = (Label(c), Read(c, "Image"), Read(c, "Parameters"));
        using (var c = b.GetRowCursor(b.Schema, new Random(3)))
        {
            var ids = new List<long>();
            var idGetter = c.GetIdGetter();
            while (c.MoveNext())
            {
                DataViewRowId id = default;
                idGetter(ref id);
                ids.Add((long)id.Low);
                var expected = sequential[(long)id.Low];
                Assert.Equal(expected.Label, Label(c));
                Assert.Equal(expected.Image, Read(c, "Image"));
                Assert.Equal(expected.Params, Read(c, "Parameters"));
            }
            Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), ids.Order());
            Assert.NotEqual(Enumerable.Range(0, 20).Select(i => (long)i), ids);
        }
        // Random access gives the same row, and a longer view starts with the same rows.
        Assert.Equal(sequential[13].Image, a.GetScene(13).Image);
        Assert.Equal(sequential[13].Image, View(count: 200).GetScene(13).Image);
        Assert.NotEqual(sequential[13].Image, View(count: 20, seed: 8).GetScene(13).Image);
    }

    [Fact]
    public void Inactive_columns_are_not_rendered_and_not_readable()
    {
        var view = View(count: 3);
        using var c = view.GetRowCursor([view.Schema["Label"]]);
        Assert.True(c.MoveNext());
        Assert.False(c.IsColumnActive(view.Schema["Image"]));
        Assert.Throws<InvalidOperationException>(() => c.GetGetter<VBuffer<float>>(view.Schema["Image"]));
        Assert.Throws<InvalidOperationException>(() => c.GetGetter<float>(view.Schema["Label"]));
    }

    [Fact]
    public void Exact_poses_give_models_times_poses_rows_in_order()
    {
        var poses = new[] { new Pose(0.1f, 0.2f, 0.3f), new Pose(-0.4f, 0, 0.25f) { Scale = 0.5f } };
        var view = new MLContext().Data.LoadFromSyntheticScenes(new SyntheticSceneOptions { Poses = poses, Seed = 1, ImageSize = 16 });
        Assert.Equal(6, view.GetRowCount());
        for (int i = 0; i < 6; i++)
        {
            var d = view.Describe(i);
            Assert.Equal(BuiltInModels.Names[i / 2], d.Label);
            Assert.Equal(poses[i % 2], d.Pose);
            Assert.False(d.IsNone);
        }
        var r = new Rasterizer(new RenderOptions { Width = 16, Height = 16 }).Render(BuiltInModels.Create("penguin"), poses[1]);
        Assert.Equal(r.Alpha, view.GetScene(3).Alpha);
    }

    [Fact]
    public void Bad_options_name_what_is_wrong()
    {
        var data = new MLContext().Data;
        Assert.Contains("ImageSize", Assert.Throws<ArgumentOutOfRangeException>(() => data.LoadFromSyntheticScenes(new SyntheticSceneOptions { ImageSize = 0 })).Message);
        Assert.Contains("NoneFraction", Assert.Throws<ArgumentOutOfRangeException>(() => data.LoadFromSyntheticScenes(new SyntheticSceneOptions { NoneFraction = 2 })).Message);
        Assert.Contains("teapot", Assert.Throws<ArgumentException>(() => data.LoadFromSyntheticScenes(new SyntheticSceneOptions { ModelNames = ["teapot"] })).Message);
        Assert.Contains("BackgroundFolder", Assert.Throws<ArgumentException>(() => data.LoadFromSyntheticScenes(new SyntheticSceneOptions { Backgrounds = BackgroundKind.Photos })).Message);
        Assert.Contains("Two models are called \"monkey\"", Assert.Throws<ArgumentException>(() => data.LoadFromSyntheticScenes(new SyntheticSceneOptions { ModelNames = ["monkey", "monkey"] })).Message);
    }
}
