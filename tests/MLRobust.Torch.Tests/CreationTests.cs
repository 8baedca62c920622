using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.TensorOpsInputs;
using static MLRobust.Torch.Tests.TensorOpsOracle;

namespace MLRobust.Torch.Tests;

/// <summary>Factories, tensors from .NET arrays in all six common dtypes, and dtype conversions,
/// against PyTorch.</summary>
public class CreationTests
{
    private static readonly OpCase[] s_cases =
    {
        Case("arange_end", "torch.arange(5)", () => arange(5)),
        Case("arange_float_step", "torch.arange(1, 2.5, 0.5)", () => arange(1, 2.5, 0.5)),
        Case("arange_int32", "torch.arange(0, 10, 3, dtype=torch.int32)", () => arange(0, 10, 3, ScalarType.Int32)),
        Case("arange_descending", "torch.arange(5, 0, -1.5)", () => arange(5, 0, -1.5)),
        Case("arange_float64_tenths", "torch.arange(0, 1, 0.1, dtype=torch.float64)", () => arange(0, 1, 0.1, ScalarType.Float64), 1e-15, 1e-15),
        Case("linspace", "torch.linspace(0, 1, 5)", () => linspace(0, 1, 5)),
        Case("linspace_float64", "torch.linspace(-1, 1, 4, dtype=torch.float64)", () => linspace(-1, 1, 4, ScalarType.Float64), 1e-15, 1e-15),
        Case("linspace_single", "torch.linspace(2, 3, 1)", () => linspace(2, 3, 1)),
        Case("full_int_infers_int64", "torch.full((2, 3), 7)", () => full(new long[] { 2, 3 }, 7)),
        Case("full_float", "torch.full((2, 2), 2.5)", () => full(new long[] { 2, 2 }, 2.5)),
        Case("full_bool", "torch.full((2,), True)", () => full(new long[] { 2 }, true)),
        Case("full_with_dtype", "torch.full((2, 2), 7, dtype=torch.float64)", () => full(new long[] { 2, 2 }, 7, ScalarType.Float64)),
        Case("eye", "torch.eye(3)", () => eye(3)),
        Case("eye_int64", "torch.eye(3, dtype=torch.int64)", () => eye(3, ScalarType.Int64)),
        Case("zeros_default", "torch.zeros(2, 3)", () => zeros(2, 3)),
        Case("ones_scalar_shape", "torch.ones(())", () => ones(Array.Empty<long>())),
        Case("zeros_like_int", "torch.zeros_like(A, dtype=torch.int32)", () => zeros_like(A(), ScalarType.Int32)),
        Case("ones_like", "torch.ones_like(I)", () => ones_like(I())),
        Case("full_like", "torch.full_like(A, -3)", () => full_like(A(), -3)),
        Case("full_like_dtype", "torch.full_like(A, 2, dtype=torch.uint8)", () => full_like(A(), 2, ScalarType.Byte)),

        // the six common dtypes, from .NET arrays and as factory dtypes
        Case("tensor_float32", "torch.tensor([1.5, -2.0, 3.25], dtype=torch.float32)", () => tensor(new[] { 1.5f, -2f, 3.25f })),
        Case("tensor_float64", "torch.tensor([0.1, -1e300], dtype=torch.float64)", () => tensor(new[] { 0.1, -1e300 }), 0, 0),
        Case("tensor_int64", "torch.tensor([-2**63, 2**63 - 1], dtype=torch.int64)", () => tensor(new[] { long.MinValue, long.MaxValue })),
        Case("tensor_int32", "torch.tensor([[-2**31, 2**31 - 1], [0, 5]], dtype=torch.int32)", () => tensor(new[,] { { int.MinValue, int.MaxValue }, { 0, 5 } })),
        Case("tensor_uint8", "torch.tensor([0, 255, 17], dtype=torch.uint8)", () => tensor(new byte[] { 0, 255, 17 })),
        Case("tensor_bool", "torch.tensor([True, False, True], dtype=torch.bool)", () => tensor(new[] { true, false, true })),
        Case("tensor_scalar_float", "torch.tensor(2.5)", () => tensor(2.5f)),
        Case("tensor_scalar_long", "torch.tensor(7)", () => tensor(7L)),
        Case("tensor_with_dtype", "torch.tensor([1.7, -2.7], dtype=torch.float32).to(torch.int64)", () => tensor(new[] { 1.7f, -2.7f }, ScalarType.Int64)),
        Case("zeros_float64", "torch.zeros(2, dtype=torch.float64)", () => zeros(new long[] { 2 }, ScalarType.Float64)),
        Case("ones_int64", "torch.ones(2, dtype=torch.int64)", () => ones(new long[] { 2 }, ScalarType.Int64)),
        Case("ones_int32", "torch.ones(2, dtype=torch.int32)", () => ones(new long[] { 2 }, ScalarType.Int32)),
        Case("ones_uint8", "torch.ones(2, dtype=torch.uint8)", () => ones(new long[] { 2 }, ScalarType.Byte)),
        Case("ones_bool", "torch.ones(2, dtype=torch.bool)", () => ones(new long[] { 2 }, ScalarType.Bool)),

        // conversions
        Case("float_to_int64_truncates", "A.to(torch.int64)", () => A().to(ScalarType.Int64)),
        Case("float_to_uint8", "(A.abs() * 50).to(torch.uint8)", () => (A().abs() * 50).to(ScalarType.Byte)),
        Case("float_to_bool", "A.to(torch.bool)", () => A().to(ScalarType.Bool)),
        Case("zero_to_bool", "torch.tensor([0.0, -0.0, 1e-30]).to(torch.bool)", () => tensor(new[] { 0f, -0f, 1e-30f }).to(ScalarType.Bool)),
        Case("int64_to_float32", "I.to(torch.float32)", () => I().to(ScalarType.Float32)),
        Case("int32_to_float64", "J.double()", () => J().@double()),
        Case("uint8_to_int32", "U.int()", () => U().@int()),
        Case("bool_to_float", "M.float()", () => M().@float()),
        Case("float64_to_float32", "D.float()", () => D().@float()),
        Case("float_to_float16", "A.half()", () => A().to(ScalarType.Float16), 0, 0),
        Case("float_to_bfloat16", "(A * 3.3).bfloat16()", () => (A() * 3.3).to(ScalarType.BFloat16), 0, 0),
        Case("int_to_bool", "I.bool()", () => I().@bool()),
        Case("int64_to_uint8_wraps", "torch.tensor([-1, 256, 300]).byte()", () => Long(-1, 256, 300).@byte()),
        Case("long_helper", "D.long()", () => D().@long()),
    };

    private static readonly Lazy<Dictionary<string, (ReferenceTensor[]? Results, string? Error)>> s_reference
        = new(() => Evaluate(Prelude, s_cases));

    public static TheoryData<string> Names => new(s_cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesPyTorch(string name) => Check(s_cases.Single(c => c.Name == name), s_reference.Value);

    [Fact]
    public void EmptyHasTheRequestedShapeAndDtype()
    {
        using var e = empty(new long[] { 3, 0, 2 }, ScalarType.Int32);
        Assert.Equal(new long[] { 3, 0, 2 }, e.shape);
        Assert.Equal(0, e.numel());
        Assert.Equal(ScalarType.Int32, e.dtype);
        Assert.Empty(e.data<int>().ToArray());
    }

    [Fact]
    public void FactoriesHonourRequiresGrad()
    {
        using var z = zeros(new long[] { 2 }, requires_grad: true);
        using var t = tensor(new[] { 1.0, 2.0 }, requires_grad: true);
        using var n = ones(2);
        Assert.True(z.requires_grad && z.is_leaf);
        Assert.True(t.requires_grad && t.is_leaf);
        Assert.False(n.requires_grad);
    }

    [Fact]
    public void TwoDimensionalArraysAreRowMajor()
    {
        using var t = tensor(new[,] { { 1f, 2f, 3f }, { 4f, 5f, 6f } });
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        using var row = t[1];
        Assert.Equal(new[] { 4f, 5f, 6f }, row.data<float>().ToArray());
    }
}
