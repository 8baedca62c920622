using MLRobust.ML;
using MLRobust.ML.Data;

namespace MLRobust.Data.Tests;

/// <summary>Point 4: the data catalog — enumerables, splits, shuffles, row ranges, filters, caching, text and image-folder loaders.</summary>
public sealed class DataCatalogTests
{
    private sealed class Attributed
    {
        [ColumnName("Name")]
        public string Text { get; set; } = "";

        [VectorType(2, 3)]
        public float[] Grid { get; set; } = Array.Empty<float>();

        [KeyType(4)]
        public uint Category { get; set; }

        [NoColumn]
        public string Ignored { get; set; } = "x";

        public bool Flag { get; set; }

        public double[] Variable { get; set; } = Array.Empty<double>();
    }

    private sealed class Keyed
    {
        public string Group { get; set; } = "";
        public float Value { get; set; }
    }

    [Fact]
    public void PocoAttributesShapeTheSchema()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Attributed { Text = "a", Grid = new float[6], Category = 2, Flag = true, Variable = new[] { 1.0 } } });
        var schema = data.Schema;
        Assert.Equal(new[] { "Name", "Grid", "Category", "Flag", "Variable" }, schema.Select(c => c.Name));
        Assert.Equal(TextDataViewType.Instance, schema["Name"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2, 3), schema["Grid"].Type);
        Assert.Equal(new KeyDataViewType(typeof(uint), 4), schema["Category"].Type);
        Assert.Equal(BooleanDataViewType.Instance, schema["Flag"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Double), schema["Variable"].Type);
    }

    [Fact]
    public void CreateEnumerableRoundTripsObjects()
    {
        var ml = new MLContext(1);
        var rows = new[]
        {
            new Attributed { Text = "a", Grid = new[] { 1f, 2, 3, 4, 5, 6 }, Category = 1, Flag = true, Variable = new[] { 1.5 } },
            new Attributed { Text = "b", Grid = new[] { 6f, 5, 4, 3, 2, 1 }, Category = 4, Flag = false, Variable = new[] { 2.0, 3.0 } },
        };
        var back = ml.Data.CreateEnumerable<Attributed>(ml.Data.LoadFromEnumerable(rows), reuseRowObject: false).ToArray();
        Assert.Equal(2, back.Length);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(rows[i].Text, back[i].Text);
            Assert.Equal(rows[i].Grid, back[i].Grid);
            Assert.Equal(rows[i].Category, back[i].Category);
            Assert.Equal(rows[i].Flag, back[i].Flag);
            Assert.Equal(rows[i].Variable, back[i].Variable);
            Assert.Equal("x", back[i].Ignored);
        }
        var reused = ml.Data.CreateEnumerable<Attributed>(ml.Data.LoadFromEnumerable(rows), reuseRowObject: true).ToList();
        Assert.Same(reused[0], reused[1]);
    }

    [Fact]
    public void WrongVectorSizesAndMissingColumnsAreNamed()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Attributed { Grid = new float[5] } });
        var error = Assert.Throws<InvalidOperationException>(() => data.GetColumn<VBuffer<float>>("Grid").ToList());
        Assert.Contains("Column 'Grid'", error.Message);
        Assert.Contains("5 items", error.Message);

        var other = ml.Data.LoadFromEnumerable(new[] { new Keyed() });
        var missing = Assert.Throws<SchemaMismatchException>(() => ml.Data.CreateEnumerable<Attributed>(other, false).ToList());
        Assert.Contains("'Name'", missing.Message);
        Assert.DoesNotContain(ml.Data.CreateEnumerable<Attributed>(other, false, ignoreMissingColumns: true), r => r.Text != "");
    }

    [Fact]
    public void TrainTestSplitIsSeededAndComplete()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 1000).Select(i => new Keyed { Group = $"g{i % 50}", Value = i }).ToList());
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 5);
        var train = split.TrainSet.GetColumn<float>("Value").ToArray();
        var test = split.TestSet.GetColumn<float>("Value").ToArray();
        Assert.Equal(1000, train.Length + test.Length);
        Assert.Empty(train.Intersect(test));
        Assert.InRange(test.Length, 150, 250); // Binomial(1000, 0.2): mean 200, sd 12.6
        Assert.Equal(test, ml.Data.TrainTestSplit(data, 0.2, seed: 5).TestSet.GetColumn<float>("Value"));
        Assert.NotEqual(test, ml.Data.TrainTestSplit(data, 0.2, seed: 6).TestSet.GetColumn<float>("Value"));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.TrainTestSplit(data, 1.0));
    }

    [Fact]
    public void TrainTestSplitKeepsSamplingKeysTogether()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 1000).Select(i => new Keyed { Group = $"g{i % 50}", Value = i }).ToList());
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, samplingKeyColumnName: "Group", seed: 9);
        var trainGroups = split.TrainSet.GetColumn<ReadOnlyMemory<char>>("Group").Select(g => g.ToString()).ToHashSet();
        var testGroups = split.TestSet.GetColumn<ReadOnlyMemory<char>>("Group").Select(g => g.ToString()).ToHashSet();
        Assert.Empty(trainGroups.Intersect(testGroups));
        Assert.Equal(50, trainGroups.Count + testGroups.Count);
        Assert.NotEmpty(testGroups);
        Assert.NotEmpty(trainGroups);
    }

    [Fact]
    public void ShuffleRowsPermutesRepeatably()
    {
        var ml = new MLContext(1);
        static IEnumerable<Keyed> Stream()
        {
            for (var i = 0; i < 200; i++) yield return new Keyed { Value = i };
        }
        foreach (var source in new[] { ml.Data.LoadFromEnumerable(Stream().ToList()), ml.Data.LoadFromEnumerable(Stream()) })
        {
            var shuffled = ml.Data.ShuffleRows(source, seed: 3, shufflePoolSize: 50);
            var first = shuffled.GetColumn<float>("Value").ToArray();
            Assert.Equal(Enumerable.Range(0, 200).Select(i => (float)i), first.OrderBy(v => v));
            Assert.NotEqual(Enumerable.Range(0, 200).Select(i => (float)i), first);
            Assert.Equal(first, shuffled.GetColumn<float>("Value"));
        }
    }

    [Fact]
    public void TakeSkipAndFilterSelectRows()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new Keyed { Value = i }).ToList());
        Assert.Equal(new[] { 0f, 1, 2 }, ml.Data.TakeRows(data, 3).GetColumn<float>("Value"));
        Assert.Equal(3, ml.Data.TakeRows(data, 3).GetRowCount());
        Assert.Equal(new[] { 8f, 9 }, ml.Data.SkipRows(data, 8).GetColumn<float>("Value"));
        Assert.Equal(new[] { 4f, 5 }, ml.Data.TakeRows(ml.Data.SkipRows(data, 4), 2).GetColumn<float>("Value"));
        Assert.Equal(new[] { 2f, 3, 4 }, ml.Data.FilterRowsByColumn(data, "Value", 2, 5).GetColumn<float>("Value"));
        var error = Assert.Throws<SchemaMismatchException>(() => ml.Data.FilterRowsByColumn(data, "Group", 0, 1));
        Assert.Contains("expected Single, Double or a key type, got String", error.Message);
    }

    [Fact]
    public void CacheReadsTheSourceOnce()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new CountingRow { Cheap = i }).ToList());
        var cached = ml.Data.Cache(data);
        var before = Volatile.Read(ref CountingRow.ExpensiveReads);
        var once = cached.GetColumn<float>("Expensive").ToArray();
        var twice = cached.GetColumn<float>("Expensive").ToArray();
        Assert.Equal(once, twice);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 2f * i), once);
        Assert.InRange(Volatile.Read(ref CountingRow.ExpensiveReads) - before, 20, 39); // other tests may read too, but not 40
        Assert.True(cached.CanShuffle);
        Assert.Equal(20, cached.GetRowCount());
    }

    [Fact]
    public void TextFilesLoadByIndexByHeaderAndByAttributes()
    {
        using var folder = new TempFolder();
        var path = folder.File("data.csv");
        File.WriteAllText(path, "path,label,w,x,y\n\"a,1.png\",cat,0.5,1,2\nb.png,dog,1e-1,3,4\n\n");
        var ml = new MLContext(1);

        var byIndex = ml.Data.LoadFromTextFile(path, new[]
        {
            new TextLoader.Column("Path", DataKind.String, 0),
            new TextLoader.Column("W", DataKind.Single, 2),
            new TextLoader.Column("XY", DataKind.Single, 3, 4),
        }, separatorChar: ',', hasHeader: true, allowQuoting: true);
        Assert.Equal(new[] { "a,1.png", "b.png" }, byIndex.GetColumn<ReadOnlyMemory<char>>("Path").Select(m => m.ToString()));
        Assert.Equal(new[] { 0.5f, 0.1f }, byIndex.GetColumn<float>("W"));
        Assert.Equal(new[] { new[] { 1f, 2 }, new[] { 3f, 4 } }, byIndex.GetColumn<VBuffer<float>>("XY").Select(v => v.ToArray()));
        Assert.Null(byIndex.GetRowCount());

        var csv = ml.Data.LoadFromCsvFile(path);
        Assert.Equal(new[] { "path", "label", "w", "x", "y" }, csv.Schema.Select(c => c.Name));
        Assert.Equal(new[] { "cat", "dog" }, csv.GetColumn<ReadOnlyMemory<char>>("label").Select(m => m.ToString()));

        var typed = ml.Data.LoadFromTextFile<CsvRow>(path, ',', hasHeader: true, allowQuoting: true);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 2), typed.Schema["XY"].Type);
        var rows = ml.Data.CreateEnumerable<CsvRow>(typed, false).ToArray();
        Assert.Equal("dog", rows[1].Label);
        Assert.Equal(new[] { 3f, 4 }, rows[1].XY);
    }

    [Fact]
    public void BadTextValuesNameFileLineAndColumn()
    {
        using var folder = new TempFolder();
        var path = folder.File("bad.csv");
        File.WriteAllText(path, "w\n1\nabc\n");
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromTextFile(path, new[] { new TextLoader.Column("W", DataKind.Single, "w") }, ',', hasHeader: true);
        var error = Assert.Throws<FormatException>(() => data.GetColumn<float>("W").ToList());
        Assert.Contains(path, error.Message);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("'W'", error.Message);
        Assert.Throws<InvalidDataException>(() => ml.Data.LoadFromTextFile(path, new[] { new TextLoader.Column("Z", DataKind.Single, "z") }, ',', hasHeader: true));
    }

    public sealed class CsvRow
    {
        [LoadColumn(1)]
        public string Label { get; set; } = "";

        [LoadColumn(3, 4), VectorType(2)]
        public float[] XY { get; set; } = Array.Empty<float>();
    }

    [Fact]
    public void ImageFoldersBecomePathAndLabelRowsInOrder()
    {
        using var folder = new TempFolder();
        foreach (var (cls, file) in new[] { ("b", "2.png"), ("a", "z.jpg"), ("b", "1.JPEG"), ("a", "sub/y.png"), ("a", "notes.txt") })
        {
            var path = Path.Combine(folder.Path, cls, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "");
        }
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromImageFolder(folder.Path);
        Assert.Equal(new[] { "a", "a", "b", "b" }, data.GetColumn<ReadOnlyMemory<char>>("Label").Select(m => m.ToString()));
        var paths = data.GetColumn<ReadOnlyMemory<char>>("ImagePath").Select(m => Path.GetRelativePath(folder.Path, m.ToString())).ToArray();
        Assert.Equal(new[] { Path.Combine("a", "sub", "y.png"), Path.Combine("a", "z.jpg"), Path.Combine("b", "1.JPEG"), Path.Combine("b", "2.png") }, paths);
        Assert.Throws<DirectoryNotFoundException>(() => ml.Data.LoadFromImageFolder(folder.File("none")));
    }
}
