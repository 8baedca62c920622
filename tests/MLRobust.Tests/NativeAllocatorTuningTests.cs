namespace MLRobust.Tests;

/// <summary>What the allocator tuning reports: whether it reaches threads other than the main one depends on MALLOC_ARENA_MAX,
/// which only the environment can set (glibc reads it once, at process start).</summary>
public class NativeAllocatorTuningTests
{
    [Fact]
    public void Status_SaysWhichThreadsTheTuningReaches()
    {
        var status = NativeAllocatorTuning.Status;
        if (!OperatingSystem.IsLinux() || status.StartsWith("glibc defaults", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("tuned", status);
            return;
        }
        Assert.StartsWith("tuned: blocks up to 1 GiB from the heap, no trimming", status);
        if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX")?.Trim() == "1")
            Assert.Contains("one arena for all threads (MALLOC_ARENA_MAX=1)", status);
        else
            Assert.Contains("the main thread only; set MALLOC_ARENA_MAX=1 before start", status);
    }
}
