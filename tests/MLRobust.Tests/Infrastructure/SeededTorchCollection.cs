namespace MLRobust.Tests.Infrastructure;

/// <summary>Tests whose results depend on libtorch's generator run alone, after the parallel ones: the generator is
/// process-wide, so a test seeding it while another draws from it on another thread would not be repeatable.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeededTorchCollection
{
    public const string Name = "Seeded torch";
}
