using MLRobust.ML;
using MLRobust.ML.Data;
using MLRobust.ML.Transforms;

namespace MLRobust.Data.Tests;

/// <summary>Point 3: estimators, transformers, SchemaShape, chains and Append.</summary>
public sealed class EstimatorChainTests
{
    private sealed class In
    {
        public float X { get; set; }
    }

    private sealed class Doubled
    {
        public float Y { get; set; }
    }

    private static int s_mapCalls;

    [Fact]
    public void AppendBuildsChainsThatFitAndTransform()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new In { X = 1 }, new In { X = 2 } });
        var pipeline = ml.Transforms.CopyColumns("X2", "X")
            .Append(ml.Transforms.Concatenate("V", "X", "X2"))
            .Append(ml.Transforms.DropColumns("X2"));
        var model = pipeline.Fit(data);
        Assert.Equal(3, model.Count());
        Assert.IsType<ColumnSelectingTransformer>(model.LastTransformer);
        var output = model.Transform(data);
        Assert.Null(output.Schema.GetColumnOrNull("X2"));
        Assert.Equal(new[] { new[] { 1f, 1f }, new[] { 2f, 2f } }, output.GetColumn<VBuffer<float>>("V").Select(v => v.ToArray()));
        Assert.Equal("Vector<Single, 2>", output.Schema["V"].Type.ToString());
    }

    [Fact]
    public void TransformerAppendAndEmptyChains()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new In { X = 5 } });
        var copy = ml.Transforms.CopyColumns("A", "X").Fit(data);
        var chain = copy.Append(ml.Transforms.CopyColumns("B", "A").Fit(copy.Transform(data)));
        Assert.Equal(new[] { 5f }, chain.Transform(data).GetColumn<float>("B"));
        var empty = new EstimatorChain<ITransformer>();
        var fitted = empty.Fit(data);
        Assert.Same(data.Schema, fitted.GetOutputSchema(data.Schema));
    }

    [Fact]
    public void FitChecksTheWholeSchemaBeforeAnyWork()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new In { X = 1 } });
        var before = s_mapCalls;
        var pipeline = ml.Transforms.CustomMapping<In, Doubled>((i, o) => { Interlocked.Increment(ref s_mapCalls); o.Y = 2 * i.X; }, null)
            .Append(ml.Transforms.Conversion.MapValueToKey("K", "Y"))
            .Append(ml.Transforms.Concatenate("V", "Missing"));
        var error = Assert.Throws<SchemaMismatchException>(() => pipeline.Fit(data));
        Assert.Contains("Could not find input column 'Missing'", error.Message);
        // MapValueToKey would have read Y (running the mapping) had the chain not been checked first.
        Assert.Equal(before, s_mapCalls);
    }

    [Fact]
    public void TransformIsLazy()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 5).Select(i => new In { X = i }).ToList());
        var model = ml.Transforms.CustomMapping<In, Doubled>((i, o) => { Interlocked.Increment(ref s_mapCalls); o.Y = 2 * i.X; }, null).Fit(data);
        var before = Volatile.Read(ref s_mapCalls);
        var transformed = model.Transform(data);
        Assert.Equal(before, Volatile.Read(ref s_mapCalls));
        Assert.Equal(new[] { 0f, 1, 2, 3, 4 }, transformed.GetColumn<float>("X")); // only X asked: no mapping
        Assert.Equal(before, Volatile.Read(ref s_mapCalls));
        Assert.Equal(new[] { 0f, 2, 4, 6, 8 }, transformed.GetColumn<float>("Y"));
        Assert.Equal(before + 5, Volatile.Read(ref s_mapCalls));
    }

    [Fact]
    public void SchemaShapeIsPublicAndDescribesColumns()
    {
        var vector = new SchemaShape.Column("Features", SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        var key = new SchemaShape.Column("Label", SchemaShape.Column.VectorKind.Scalar, new KeyDataViewType(typeof(uint), 3), true);
        var shape = new SchemaShape(new[] { vector, key });
        Assert.True(shape.TryFindColumn("Label", out var found));
        Assert.Equal(NumberDataViewType.UInt32, found.ItemType); // keys report their underlying number type
        Assert.Equal("Key<UInt32>", found.GetTypeString());
        Assert.Equal("Vector<Single>", vector.GetTypeString());
        Assert.True(vector.IsCompatibleWith(new SchemaShape.Column("Features", SchemaShape.Column.VectorKind.VariableVector, NumberDataViewType.Single, false)));
        Assert.False(vector.IsCompatibleWith(new SchemaShape.Column("Features", SchemaShape.Column.VectorKind.Scalar, NumberDataViewType.Single, false)));

        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new FeatureRow() });
        var created = SchemaShape.Create(data.Schema);
        Assert.True(created.TryFindColumn("Features", out var features));
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, features.Kind);
    }

    [Fact]
    public void CacheCheckpointsCacheDuringFit()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 3).Select(i => new In { X = i }).ToList());
        var before = Volatile.Read(ref s_mapCalls);
        var pipeline = ml.Transforms.CustomMapping<In, Doubled>((i, o) => { Interlocked.Increment(ref s_mapCalls); o.Y = 2 * i.X; }, null)
            .AppendCacheCheckpoint(ml)
            .Append(ml.Transforms.Conversion.MapValueToKey("K1", "Y"))
            .Append(ml.Transforms.Conversion.MapValueToKey("K2", "Y"));
        pipeline.Fit(data);
        // Two estimators read Y after the checkpoint; the mapping ran once per row, not twice.
        Assert.Equal(before + 3, Volatile.Read(ref s_mapCalls));
    }
}
