using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.TensorOpsOracle;

namespace MLRobust.Torch.Tests;

/// <summary>The CPU generator is process-wide, so tests that seed it and then draw must not run
/// beside others that draw from it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "global generator and process-wide measurements";
}

/// <summary>libtorch's CPU generator is PyTorch's: the same manual_seed gives the same draws.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class CreationRandomTests
{
    private static readonly OpCase[] s_cases =
    {
        Case("rand", "torch.manual_seed(42); torch.rand(3, 4)", () => { manual_seed(42); return rand(3, 4); }, 0, 0),
        Case("randn", "torch.manual_seed(7); torch.randn(2, 5)", () => { manual_seed(7); return randn(2, 5); }, 0, 0),
        // 16 or more normals take the vectorised path, which draws in a different order.
        Case("randn_vectorised", "torch.manual_seed(3); torch.randn(40)", () => { manual_seed(3); return randn(40); }, 1e-6, 1e-6),
        Case("rand_float64", "torch.manual_seed(1); torch.rand(5, dtype=torch.float64)", () => { manual_seed(1); return rand(new long[] { 5 }, ScalarType.Float64); }, 0, 0),
        Case("randint", "torch.manual_seed(11); torch.randint(0, 10, (8,))", () => { manual_seed(11); return randint(0, 10, new long[] { 8 }); }),
        Case("randint_negative_low", "torch.manual_seed(12); torch.randint(-5, 5, (2, 3), dtype=torch.int32)", () => { manual_seed(12); return randint(-5, 5, new long[] { 2, 3 }, ScalarType.Int32); }),
        Case("randperm", "torch.manual_seed(5); torch.randperm(7)", () => { manual_seed(5); return randperm(7); }),
        Case("rand_like", "torch.manual_seed(9); torch.rand_like(torch.zeros(2, 2))", () => { manual_seed(9); return rand_like(zeros(2, 2)); }, 0, 0),
        Case("randn_like", "torch.manual_seed(9); torch.randn_like(torch.zeros(3))", () => { manual_seed(9); return randn_like(zeros(3)); }, 0, 0),
        Case("normal_", "torch.manual_seed(2); torch.empty(6).normal_(1.5, 0.5)", () => { manual_seed(2); return empty(6).normal_(1.5, 0.5); }, 1e-6, 1e-6),
        Case("uniform_", "torch.manual_seed(2); torch.empty(6).uniform_(-2, 3)", () => { manual_seed(2); return empty(6).uniform_(-2, 3); }, 1e-6, 1e-6),
        Case("bernoulli_", "torch.manual_seed(4); torch.empty(10).bernoulli_(0.3)", () => { manual_seed(4); return empty(10).bernoulli_(0.3); }),
        Case("successive_draws", "torch.manual_seed(42); a = torch.rand(2); b = torch.randn(2); torch.cat([a, b])",
            () => { manual_seed(42); var a = rand(2); var b = randn(2); return cat(new[] { a, b }); }, 0, 0),
    };

    private static readonly Lazy<Dictionary<string, (ReferenceTensor[]? Results, string? Error)>> s_reference
        = new(() => Evaluate("", s_cases));

    public static TheoryData<string> Names => new(s_cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeedGivesPyTorchsDraws(string name) => Check(s_cases.Single(c => c.Name == name), s_reference.Value);

    [Fact]
    public void ReseedingRepeatsAndDifferentSeedsDiffer()
    {
        using var scope = NewDisposeScope();
        manual_seed(123);
        var first = randn(16).data<float>().ToArray();
        manual_seed(123);
        var again = randn(16).data<float>().ToArray();
        manual_seed(124);
        var other = randn(16).data<float>().ToArray();
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }
}
