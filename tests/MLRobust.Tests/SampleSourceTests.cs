using Microsoft.ML;
using MLRobust.Tests.Infrastructure;
using MLRobust.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>The batch streams: every epoch visits each matching row once in a seeded order, seeking reproduces a stream
/// position, None rows stay out of the object stream and rows without a label are skipped.</summary>
public class SampleSourceTests
{
    private const int Size = 24;

    /// <summary>Rows are told apart by their first pose parameter (a distinct random value per object row).</summary>
    private static float[] Ids(SampleBatch batch) => batch.Parameters!.select(1, 0).data<float>().ToArray();

    private static ShapeRow[] Rows()
    {
        var rows = SyntheticShapes.Rows(21, Size, 8);
        rows[5].Label = 0; // a missing label: skipped by every stream
        return rows;
    }

    private static DataViewSampleSource ViewSource(MLContext ml, ShapeRow[] rows, int seed = 3) =>
        new(SyntheticShapes.DataView(ml, rows, Size), new SampleColumns("Image", "Label", "Parameters", "CleanImage", "Alpha"), 4, 3, Size, 2, seed);

    [Fact]
    public void DataViewSource_EachEpochVisitsEveryObjectRowOnce_InAnOrderSetByTheSeed()
    {
        var ml = new MLContext(1);
        var rows = Rows();
        var objectIds = rows.Where(r => r.Label is >= 1 and <= 3).Select(r => r.Parameters[0]).OrderBy(v => v).ToArray();
        using var scope = NewDisposeScope();
        using var source = ViewSource(ml, rows);
        var n = objectIds.Length;
        using var first = source.Next(n, SampleFilter.Objects);
        using var second = source.Next(n, SampleFilter.Objects);
        Assert.Equal(objectIds, Ids(first).OrderBy(v => v));
        Assert.Equal(objectIds, Ids(second).OrderBy(v => v));
        Assert.NotEqual(Ids(first), Ids(second));
        Assert.True(first.Classes.ne(3).all().ToBoolean());
        Assert.Equal(new long[] { n, 1, Size, Size }, first.Images.shape);
        Assert.Equal(2 * n, source.GetPosition(SampleFilter.Objects));

        // The same seed gives the same order; the All stream includes None rows but not the unlabelled one.
        using var again = ViewSource(ml, rows);
        using var firstAgain = again.Next(n, SampleFilter.Objects);
        Assert.Equal(Ids(first), Ids(firstAgain));
        using var all = again.Next(20, SampleFilter.All);
        Assert.Equal(20, all.Count);
        Assert.True(all.Classes.eq(3).any().ToBoolean(), "the All stream has None rows");
        Assert.True(all.Classes.ge(0).all().ToBoolean(), "no row without a label");
    }

    [Fact]
    public void DataViewSource_SeekReproducesAStreamPosition_AcrossEpochs()
    {
        var ml = new MLContext(1);
        var rows = Rows();
        using var scope = NewDisposeScope();
        using var reference = ViewSource(ml, rows);
        var stream = Enumerable.Range(0, 5).SelectMany(_ => Ids(reference.Next(7, SampleFilter.Objects))).ToArray();
        using var resumed = ViewSource(ml, rows);
        resumed.Seek(SampleFilter.Objects, 19);
        var tail = Enumerable.Range(0, 2).SelectMany(_ => Ids(resumed.Next(8, SampleFilter.Objects))).ToArray();
        Assert.Equal(stream.Skip(19).Take(16), tail);
    }

    [Fact]
    public void DataViewSource_PassReadsInStorageOrder()
    {
        var ml = new MLContext(1);
        var rows = Rows();
        using var scope = NewDisposeScope();
        using var source = ViewSource(ml, rows);
        var expected = rows.Where(r => r.Label is >= 1 and <= 3).Take(10).Select(r => r.Parameters[0]).ToArray();
        var read = source.Pass(4, SampleFilter.Objects, 10).SelectMany(b => { using (b) return Ids(b); }).ToArray();
        Assert.Equal(expected, read);
    }

    [Fact]
    public void TensorSource_EpochsArePermutations_AndSeekMatches()
    {
        using var scope = NewDisposeScope();
        var (images, classes, parameters, clean, alpha) = SyntheticShapes.Tensors(SyntheticShapes.Rows(12, Size, 9), Size);
        using var source = new TensorSampleSource(images, classes, 4, 3, parameters, clean, alpha, seed: 4);
        var ids = parameters.select(1, 0).data<float>().ToArray();
        var objects = classes.data<long>().Select((c, i) => (c, i)).Where(x => x.c != 3).Select(x => ids[x.i]).OrderBy(v => v).ToArray();
        var stream = Enumerable.Range(0, 3).SelectMany(_ => Ids(source.Next(objects.Length, SampleFilter.Objects))).ToArray();
        for (var e = 0; e < 3; e++) Assert.Equal(objects, stream.Skip(e * objects.Length).Take(objects.Length).OrderBy(v => v));
        using var other = new TensorSampleSource(images, classes, 4, 3, parameters, clean, alpha, seed: 4);
        other.Seek(SampleFilter.Objects, 5);
        Assert.Equal(stream.Skip(5).Take(10), Ids(other.Next(10, SampleFilter.Objects)));
    }
}
