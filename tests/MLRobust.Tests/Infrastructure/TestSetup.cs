using System.Runtime.CompilerServices;
using TorchSharp;

namespace MLRobust.Tests.Infrastructure;

internal static class TestSetup
{
    /// <summary>One libtorch thread per test process: xunit runs test classes in parallel, and on a shared 2-core machine
    /// OpenMP threads that spin-wait for each other make small-model steps several times slower.</summary>
    [ModuleInitializer]
    internal static void SingleThreadedTorch()
    {
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null) torch.set_num_threads(1);
    }
}
