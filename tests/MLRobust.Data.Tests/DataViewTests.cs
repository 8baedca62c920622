using MLRobust.ML;
using MLRobust.ML.Data;

namespace MLRobust.Data.Tests;

/// <summary>Point 2: data views — schema, types, annotations, VBuffer, lazy cursors.</summary>
public sealed class DataViewTests
{
    [Fact]
    public void TypesPrintAndCompareLikeMlNet()
    {
        Assert.Equal("Vector<Single, 4096>", new VectorDataViewType(NumberDataViewType.Single, 4096).ToString());
        Assert.Equal("Vector<Single, 3, 4, 5>", new VectorDataViewType(NumberDataViewType.Single, 3, 4, 5).ToString());
        Assert.Equal("Vector<Byte>", new VectorDataViewType(NumberDataViewType.Byte).ToString());
        Assert.Equal("String", TextDataViewType.Instance.ToString());
        Assert.Equal(typeof(ReadOnlyMemory<char>), TextDataViewType.Instance.RawType);
        Assert.Equal(typeof(VBuffer<float>), new VectorDataViewType(NumberDataViewType.Single, 2).RawType);
        Assert.Equal(typeof(MLImage), new ImageDataViewType(28, 28).RawType);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3, 4), new VectorDataViewType(NumberDataViewType.Single, 3, 4));
        Assert.NotEqual(new VectorDataViewType(NumberDataViewType.Single, 12), new VectorDataViewType(NumberDataViewType.Single, 3, 4));
        Assert.Equal(12, new VectorDataViewType(NumberDataViewType.Single, 3, 4).Size);
        Assert.False(new VectorDataViewType(NumberDataViewType.Single).IsKnownSize);
        var key = new KeyDataViewType(typeof(uint), 10);
        Assert.Equal(10UL, key.Count);
        Assert.Equal(new KeyDataViewType(typeof(uint), 10), key);
        Assert.Throws<ArgumentException>(() => new KeyDataViewType(typeof(int), 3));
    }

    [Fact]
    public void SchemaLookupHidesOlderColumnsAndNamesMissingOnes()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("A", NumberDataViewType.Single);
        builder.AddColumn("B", TextDataViewType.Instance);
        builder.AddColumn("A", NumberDataViewType.Double);
        var schema = builder.ToSchema();
        Assert.Equal(3, schema.Count);
        Assert.True(schema[0].IsHidden);
        Assert.Equal(2, schema["A"].Index);
        Assert.Equal(NumberDataViewType.Double, schema["A"].Type);
        Assert.Null(schema.GetColumnOrNull("C"));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => schema["C"]);
        Assert.Contains("Column 'C' not found", error.Message);
    }

    [Fact]
    public void AnnotationsHoldSlotNamesAndKeyValues()
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        var names = new[] { "x".AsMemory(), "y".AsMemory() };
        annotations.AddSlotNames(2, (ref VBuffer<ReadOnlyMemory<char>> v) => v = new VBuffer<ReadOnlyMemory<char>>(2, names));
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("F", new VectorDataViewType(NumberDataViewType.Single, 2), annotations.ToAnnotations());
        var column = builder.ToSchema()["F"];
        Assert.Equal(new[] { "x", "y" }, column.GetSlotNames());
        var value = default(VBuffer<ReadOnlyMemory<char>>);
        column.Annotations.GetValue(AnnotationUtils.Kinds.SlotNames, ref value);
        Assert.Equal("y", value.GetItemOrDefault(1).ToString());
        Assert.Throws<InvalidOperationException>(() => column.Annotations.GetValue(AnnotationUtils.Kinds.KeyValues, ref value));
    }

    [Fact]
    public void VBufferSparseAndDenseAgree()
    {
        var sparse = new VBuffer<float>(5, 2, new[] { 3f, 7f }, new[] { 1, 4 });
        Assert.False(sparse.IsDense);
        Assert.Equal(new[] { 0f, 3f, 0f, 0f, 7f }, sparse.DenseValues());
        Assert.Equal(7f, sparse.GetItemOrDefault(4));
        Assert.Equal(0f, sparse.GetItemOrDefault(2));
        var dense = default(VBuffer<float>);
        sparse.CopyToDense(ref dense);
        Assert.True(dense.IsDense);
        Assert.Equal(sparse.DenseValues(), dense.GetValues().ToArray());
        Assert.Throws<ArgumentException>(() => new VBuffer<float>(5, 2, new[] { 1f, 2f }, new[] { 3, 1 }));

        // The editor reuses a large enough buffer.
        var target = new VBuffer<float>(3, new float[10]);
        var editor = VBufferEditor.Create(ref target, 4);
        editor.Values.Fill(2f);
        var committed = editor.Commit();
        Assert.Equal(new[] { 2f, 2f, 2f, 2f }, committed.DenseValues());
    }

    [Fact]
    public void CursorsComputeOnlyTheColumnsAskedFor()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new CountingRow { Cheap = i }).ToList());
        var before = Volatile.Read(ref CountingRow.ExpensiveReads);
        var cheap = data.GetColumn<float>("Cheap").ToArray();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), cheap);
        Assert.Equal(before, Volatile.Read(ref CountingRow.ExpensiveReads));

        using var cursor = data.GetRowCursor(data.Schema["Cheap"]);
        Assert.False(cursor.IsColumnActive(data.Schema["Expensive"]));
        var error = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<float>(data.Schema["Expensive"]));
        Assert.Contains("not active", error.Message);
    }

    [Fact]
    public void GettersCheckTheValueType()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new FeatureRow { Label = "a", Features = new[] { 1f, 2f, 3f } } });
        using var cursor = data.GetRowCursorForAllColumns();
        var error = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<string>(data.Schema["Label"]));
        Assert.Contains("Invalid TValue", error.Message);
    }

    [Fact]
    public void PositionIsMinusOneOutsideRows()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(new[] { new FeatureRow(), new FeatureRow() });
        using var cursor = data.GetRowCursor(Array.Empty<DataViewSchema.Column>());
        Assert.Equal(-1, cursor.Position);
        Assert.True(cursor.MoveNext());
        Assert.Equal(0, cursor.Position);
        Assert.True(cursor.MoveNext());
        Assert.Equal(1, cursor.Position);
        Assert.False(cursor.MoveNext());
        Assert.Equal(-1, cursor.Position);
    }

    [Fact]
    public void StreamingSourcesDoNotKnowTheirRowCount()
    {
        var ml = new MLContext(1);
        static IEnumerable<FeatureRow> Generate()
        {
            for (var i = 0; i < 4; i++) yield return new FeatureRow { Weight = i };
        }
        var streaming = ml.Data.LoadFromEnumerable(Generate());
        Assert.Null(streaming.GetRowCount());
        Assert.False(streaming.CanShuffle);
        Assert.Equal(4, streaming.CountRows());
        var list = ml.Data.LoadFromEnumerable(Generate().ToList());
        Assert.Equal(4, list.GetRowCount());
        Assert.True(list.CanShuffle);
    }
}
