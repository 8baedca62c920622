using Xunit.Abstractions;
using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Tests;

/// <summary>Dispose scopes release native tensors deterministically: what they own dies with
/// them, what is moved out or detached survives, scopes nest, and they are per thread.</summary>
public class MemoryTests
{
    [Fact]
    public void AScopeDisposesEverythingCreatedInside()
    {
        var before = ones(2);
        Tensor a, b, c, grad;
        Tensor[] parts;
        using (var scope = NewDisposeScope())
        {
            a = ones(3);
            b = a * 2 + 1;                       // the intermediate a * 2 is collected too
            c = b.view(3, 1);
            parts = b.chunk(3);
            var x = ones(new long[] { 2 }, requires_grad: true);
            (x * x).sum().backward();
            grad = x.grad!;                      // each read of grad is a new handle
            Assert.True(scope.DisposablesCount >= 10);
        }
        Assert.All(new[] { a, b, c, grad }.Concat(parts), t => Assert.True(t.IsInvalid));
        Assert.False(before.IsInvalid);
        before.Dispose();
    }

    [Fact]
    public void TensorsDisposedInsideAScopeAreNotDisposedAgain()
    {
        using var scope = NewDisposeScope();
        var t = ones(3);
        t.Dispose();
        Assert.Equal(0, scope.DisposablesCount);
    }

    [Fact]
    public void MoveToOuterDisposeScopeKeepsAResultAlive()
    {
        Tensor result, temporary;
        using (var outer = NewDisposeScope())
        {
            using (NewDisposeScope())
            {
                temporary = ones(4);
                result = (temporary * 3).sum().MoveToOuterDisposeScope();
            }
            Assert.True(temporary.IsInvalid);
            Assert.False(result.IsInvalid);
            Assert.Equal(12f, result.item<float>());
            Assert.Equal(1, outer.DisposablesCount);
        }
        Assert.True(result.IsInvalid);
    }

    [Fact]
    public void MovingOutOfTheOutermostScopeHandsOwnershipToTheCaller()
    {
        Tensor result;
        using (NewDisposeScope()) result = ones(2).MoveToOuterDisposeScope();
        Assert.False(result.IsInvalid);
        result.Dispose();
    }

    [Fact]
    public void DetachFromDisposeScopeSurvivesEveryScope()
    {
        Tensor kept;
        using (NewDisposeScope())
        {
            using (NewDisposeScope()) kept = full(new long[] { 2 }, 5.0).DetachFromDisposeScope();
        }
        Assert.False(kept.IsInvalid);
        Assert.Equal(new[] { 5f, 5f }, kept.data<float>().ToArray());
        kept.Dispose();
        Assert.True(kept.IsInvalid);
    }

    [Fact]
    public void NestedScopesDisposeInnermostFirst()
    {
        Tensor outerTensor, innerTensor;
        using (NewDisposeScope())
        {
            outerTensor = ones(1);
            using (NewDisposeScope())
            {
                innerTensor = ones(1);
                Assert.False(outerTensor.IsInvalid);
            }
            Assert.True(innerTensor.IsInvalid);
            Assert.False(outerTensor.IsInvalid);
            // Tensors created after the inner scope closed belong to the outer one again.
            var later = ones(1);
            Assert.False(later.IsInvalid);
        }
        Assert.True(outerTensor.IsInvalid);
    }

    [Fact]
    public void DisposeEverythingButKeepsTheChosenTensors()
    {
        using var scope = NewDisposeScope();
        var keep = ones(2);
        var drop = ones(2) + 1;
        scope.DisposeEverythingBut(keep);
        Assert.True(drop.IsInvalid);
        Assert.False(keep.IsInvalid);
        Assert.Equal(1, scope.DisposablesCount);
    }

    [Fact]
    public void ScopesArePerThread()
    {
        Tensor? fromOtherThread = null;
        using (var scope = NewDisposeScope())
        {
            var thread = new Thread(() => fromOtherThread = ones(3) * 2);
            thread.Start();
            thread.Join();
            Assert.Equal(0, scope.DisposablesCount);
        }
        Assert.NotNull(fromOtherThread);
        Assert.False(fromOtherThread!.IsInvalid);
        Assert.Equal(6f, fromOtherThread.sum().item<float>());
        fromOtherThread.Dispose();
    }

    [Fact]
    public void AnotherThreadsScopeDoesNotCollectThisThreadsTensors()
    {
        using var scope = NewDisposeScope();
        var mine = ones(2);
        var thread = new Thread(() =>
        {
            using (NewDisposeScope()) _ = ones(5);
        });
        thread.Start();
        thread.Join();
        Assert.False(mine.IsInvalid);
    }
}

/// <summary>Native memory stays flat over a long loop of small ops inside scopes. Measured in the
/// non-parallel collection, as resident memory is process-wide.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class MemoryGrowthTests(ITestOutputHelper output)
{
    private static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmRSS in /proc/self/status");
    }

    private static void Iteration(Tensor weights)
    {
        using var scope = NewDisposeScope();
        var x = randn(16, 32);
        var y = x.matmul(weights).relu();
        var loss = (y * y).mean() + y.std();
        var g = autograd.grad(new[] { loss }, new[] { weights })[0]!;
        using (no_grad()) _ = weights - g * 0.01;
        _ = loss.item<float>();
    }

    [Fact]
    public void TwoThousandScopedIterationsKeepResidentMemoryFlat()
    {
        using var weights = randn(new long[] { 32, 8 }, requires_grad: true);
        for (var k = 0; k < 200; k++) Iteration(weights);   // warm up allocators and caches
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = ResidentBytes();
        for (var k = 0; k < 2000; k++) Iteration(weights);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var growth = ResidentBytes() - before;
        output.WriteLine($"resident memory: {before >> 20} MiB before, grew {growth >> 10} KiB over 2,000 iterations");
        Assert.True(growth < 20L << 20, $"resident memory grew by {growth / 1024} KiB over 2,000 iterations");
    }
}
