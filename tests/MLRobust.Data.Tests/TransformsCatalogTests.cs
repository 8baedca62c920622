using MLRobust.ML;
using MLRobust.ML.Data;
using MLRobust.ML.Transforms;

namespace MLRobust.Data.Tests;

/// <summary>Point 5 (non-image): key conversions, concatenation, copying, selecting and custom mappings.</summary>
public sealed class TransformsCatalogTests
{
    private sealed class Animal
    {
        public string Kind { get; set; } = "";
        public float Legs { get; set; }
        [VectorType(2)]
        public float[] Size { get; set; } = new float[2];
    }

    private sealed class LegsIn
    {
        public float Legs { get; set; }
    }

    private sealed class LegsOut
    {
        public float LegPairs { get; set; }
        public string Description { get; set; } = "";
    }

    private static Animal[] Animals() => new[]
    {
        new Animal { Kind = "dog", Legs = 4, Size = new[] { 1f, 2 } },
        new Animal { Kind = "bird", Legs = 2, Size = new[] { 3f, 4 } },
        new Animal { Kind = "dog", Legs = 4, Size = new[] { 5f, 6 } },
        new Animal { Kind = "ant", Legs = 6, Size = new[] { 7f, 8 } },
    };

    [Fact]
    public void MapValueToKeyNumbersValuesByOccurrenceOrByValue()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Animals());
        var model = ml.Transforms.Conversion.MapValueToKey("Key", "Kind").Fit(data);
        var output = model.Transform(data);
        Assert.Equal(new KeyDataViewType(typeof(uint), 3), output.Schema["Key"].Type);
        Assert.Equal(new uint[] { 1, 2, 1, 3 }, output.GetColumn<uint>("Key"));
        Assert.Equal(new[] { "dog", "bird", "ant" }, output.Schema["Key"].GetKeyValueNames());

        var sorted = ml.Transforms.Conversion.MapValueToKey("Key", "Kind", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(data).Transform(data);
        Assert.Equal(new uint[] { 3, 2, 3, 1 }, sorted.GetColumn<uint>("Key"));

        // Values not seen while fitting map to the missing key 0.
        var unseen = ml.Data.LoadFromEnumerable(new[] { new Animal { Kind = "cat" } });
        Assert.Equal(new uint[] { 0 }, model.Transform(unseen).GetColumn<uint>("Key"));

        // Numbers keep numeric key values.
        var legs = ml.Transforms.Conversion.MapValueToKey("LegKey", "Legs").Fit(data).Transform(data);
        Assert.Equal(new uint[] { 1, 2, 1, 3 }, legs.GetColumn<uint>("LegKey"));
        var kv = default(VBuffer<float>);
        legs.Schema["LegKey"].Annotations.GetValue(AnnotationUtils.Kinds.KeyValues, ref kv);
        Assert.Equal(new[] { 4f, 2, 6 }, kv.DenseValues());
    }

    [Fact]
    public void MapKeyToValueInvertsTheMapping()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Animals());
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Key", "Kind")
            .Append(ml.Transforms.Conversion.MapKeyToValue("Back", "Key"))
            .Append(ml.Transforms.Conversion.MapValueToKey("LegKey", "Legs"))
            .Append(ml.Transforms.Conversion.MapKeyToValue("LegsBack", "LegKey"));
        var output = pipeline.Fit(data).Transform(data);
        Assert.Equal(new[] { "dog", "bird", "dog", "ant" }, output.GetColumn<ReadOnlyMemory<char>>("Back").Select(m => m.ToString()));
        Assert.Equal(new[] { 4f, 2, 4, 6 }, output.GetColumn<float>("LegsBack"));

        var error = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.Conversion.MapKeyToValue("X", "Legs").Fit(data));
        Assert.Contains("Schema mismatch for input column 'Legs': expected a key type, got Single", error.Message);
    }

    [Fact]
    public void ConcatenateJoinsScalarsAndVectors()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Animals());
        var output = ml.Transforms.Concatenate("F", "Legs", "Size", "Legs").Fit(data).Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 4), output.Schema["F"].Type);
        Assert.Equal(new[] { 4f, 1, 2, 4 }, output.GetColumn<VBuffer<float>>("F").First().ToArray());
        var error = Assert.Throws<SchemaMismatchException>(() => ml.Transforms.Concatenate("F", "Legs", "Kind").Fit(data));
        Assert.Contains("'Kind'", error.Message);
    }

    [Fact]
    public void CopySelectAndDropColumns()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Animals());
        var copied = ml.Transforms.CopyColumns("Legs2", "Legs").Fit(data).Transform(data);
        Assert.Equal(copied.GetColumn<float>("Legs"), copied.GetColumn<float>("Legs2"));
        var selected = ml.Transforms.SelectColumns("Legs2", "Kind").Fit(copied).Transform(copied);
        Assert.Equal(new[] { "Legs2", "Kind" }, selected.Schema.Select(c => c.Name));
        Assert.Equal(new[] { 4f, 2, 4, 6 }, selected.GetColumn<float>("Legs2"));
        var dropped = ml.Transforms.DropColumns("Size").Fit(copied).Transform(copied);
        Assert.Equal(new[] { "Kind", "Legs", "Legs2" }, dropped.Schema.Select(c => c.Name));
        Assert.Throws<SchemaMismatchException>(() => ml.Transforms.SelectColumns("Nope").Fit(data));
    }

    [Fact]
    public void CustomMappingRunsUserCodeOncePerRow()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Animals());
        var calls = 0;
        var output = ml.Transforms.CustomMapping<LegsIn, LegsOut>((i, o) =>
        {
            calls++;
            o.LegPairs = i.Legs / 2;
            o.Description = $"{i.Legs} legs";
        }, contractName: null).Fit(data).Transform(data);
        using (var cursor = output.GetRowCursor(output.Schema["LegPairs"], output.Schema["Description"]))
        {
            var pairs = cursor.GetGetter<float>(output.Schema["LegPairs"]);
            var text = cursor.GetGetter<ReadOnlyMemory<char>>(output.Schema["Description"]);
            var p = 0f;
            ReadOnlyMemory<char> t = default;
            var seen = new List<(float, string)>();
            while (cursor.MoveNext())
            {
                pairs(ref p);
                text(ref t);
                pairs(ref p);
                seen.Add((p, t.ToString()));
            }
            Assert.Equal(new[] { (2f, "4 legs"), (1f, "2 legs"), (2f, "4 legs"), (3f, "6 legs") }, seen);
        }
        Assert.Equal(4, calls);
    }
}
