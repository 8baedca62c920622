using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Scalars for one call stay alive through later calls on the thread (64 of them) and are then disposed, not left to the
/// finalizer; integral ones keep integer tensors integer.</summary>
public class HeldScalarsTests
{
    [Fact]
    public void AHeldScalarOutlivesSixtyThreeMoreAndIsDisposedByTheSixtyFifth()
    {
        // A fresh thread: its ring starts empty whatever other tests did on theirs.
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                var first = HeldScalars.Held(0.25);
                var later = Enumerable.Range(0, 63).Select(i => HeldScalars.Held(i)).ToList();
                Assert.Equal(ScalarType.Float64, first.Type);
                Assert.Equal(0.25, first.ToDouble());
                Assert.Equal(62L, later[^1].ToInt64());
                HeldScalars.Held(1.0); // the 65th takes the first one's slot
                Assert.Throws<InvalidOperationException>(() => first.Type);
                Assert.Equal(ScalarType.Int64, later[0].Type);
            }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException(failure.ToString());
    }

    [Fact]
    public void IntegralScalarsKeepIntegerTensorsInteger_DoublesGiveTheDoubleResult()
    {
        using var scope = NewDisposeScope();
        var indices = tensor(new long[] { 1, 2, 3 });
        var shifted = indices + HeldScalars.Held(10L);
        Assert.Equal(ScalarType.Int64, shifted.dtype);
        Assert.Equal(new long[] { 11, 12, 13 }, shifted.data<long>().ToArray());
        var halves = tensor(new float[] { 1, 2, 3 }) * HeldScalars.Held(0.5);
        Assert.Equal(ScalarType.Float32, halves.dtype);
        Assert.Equal(new float[] { 0.5f, 1f, 1.5f }, halves.data<float>().ToArray());
    }
}
