using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.TensorOpsInputs;
using static MLRobust.Torch.Tests.TensorOpsOracle;

namespace MLRobust.Torch.Tests;

/// <summary>Broadcasting arithmetic and operators, type promotion, comparisons, where, clamp and
/// elementwise functions, each against PyTorch on the same inputs.</summary>
public class TensorOpsElementwiseTests
{
    private static readonly OpCase[] s_cases =
    {
        // arithmetic and C# operators, with broadcasting
        Case("add_broadcast_row", "A + B", () => A() + B()),
        Case("sub_broadcast_column", "A - C", () => A() - C()),
        Case("mul_broadcast_row", "A * B", () => A() * B()),
        Case("div_broadcast_column", "A / C", () => A() / C()),
        Case("outer_broadcast", "B + C", () => B() + C()),
        Case("add_scalar", "A + 2.5", () => A() + 2.5),
        Case("scalar_minus_tensor", "2.5 - A", () => 2.5 - A()),
        Case("scalar_times_tensor", "3 * A", () => 3 * A()),
        Case("scalar_over_tensor", "2 / P", () => 2 / P()),
        Case("negate", "-A", () => -A()),
        Case("remainder", "A % 1.5", () => A() % 1.5),
        Case("add_alpha", "torch.add(A, B, alpha=2)", () => A().add(B(), 2)),
        Case("sub_alpha", "torch.sub(A, C, alpha=0.5)", () => A().sub(C(), 0.5)),
        Case("div_floor", "torch.div(A, C, rounding_mode='floor')", () => A().div(C(), "floor")),
        Case("div_trunc", "torch.div(A, C, rounding_mode='trunc')", () => A().div(C(), "trunc")),
        Case("maximum", "torch.maximum(A, B)", () => A().maximum(B())),
        Case("minimum", "torch.minimum(A, C)", () => A().minimum(C())),

        // type promotion
        Case("int64_plus_int32", "I + J", () => I() + J()),
        Case("int_times_scalar", "I * 2", () => I() * 2),
        Case("int_true_division", "I / 2", () => I() / 2),
        Case("int_plus_float_scalar", "I + 0.5", () => I() + 0.5),
        Case("uint8_wraps", "U + U", () => U() + U()),
        Case("float_plus_int_tensor", "A + I", () => A() + I()),
        Case("double_plus_float", "D + A", () => D() + A(), 1e-12, 1e-12),
        Case("bool_plus_int", "M + I", () => M() + I()),

        // comparisons and logic
        Case("greater_broadcast", "A > B", () => A() > B()),
        Case("less_equal_column", "A <= C", () => A() <= C()),
        Case("equal_scalar", "A == 0.75", () => A().eq(0.75)),
        Case("not_equal_mixed_ints", "I != J", () => I().ne(J())),
        Case("greater_equal_scalar", "A >= 0.5", () => A() >= 0.5),
        Case("scalar_less_than_tensor", "0.5 < A", () => 0.5 < A()),
        Case("int_vs_float", "I > A", () => I() > A()),
        Case("logical_and", "M & (A > 0)", () => M() & (A() > 0)),
        Case("logical_or", "M | (A > 1)", () => M() | (A() > 1)),
        Case("logical_xor", "M ^ (A > 0)", () => M() ^ (A() > 0)),
        Case("logical_not", "~M", () => !M()),
        Case("allclose_as_tensor", "torch.tensor(torch.allclose(A, A + 1e-7))", () => tensor(A().allclose(A() + 1e-7))),
        Case("equal_as_tensor", "torch.tensor(torch.equal(A, A.clone()))", () => tensor(A().equal(A().clone()))),

        // where and clamp
        Case("where_broadcast", "torch.where(M, A, B)", () => where(M(), A(), B())),
        Case("where_scalar_other", "torch.where(M, A, torch.tensor(0.0))", () => where(M(), A(), 0.0)),
        Case("clamp_both", "A.clamp(-1, 1)", () => A().clamp(-1, 1)),
        Case("clamp_min", "A.clamp(min=0)", () => A().clamp(min: 0)),
        Case("clamp_max", "A.clamp(max=0.6)", () => A().clamp(max: 0.6)),
        Case("clamp_tensor_bounds", "torch.clamp(A, min=-B.abs(), max=B.abs())", () => A().clamp(-B().abs(), B().abs())),
        Case("clamp_int", "I.clamp(-1, 3)", () => I().clamp(-1, 3)),
        Case("clip", "A.clip(-0.5, 0.5)", () => A().clip(-0.5, 0.5)),
        Case("clamp_min_fn", "A.clamp_min(0.6)", () => A().clamp_min(0.6)),
        Case("clamp_max_fn", "A.clamp_max(-0.2)", () => A().clamp_max(-0.2)),

        // elementwise functions
        Case("abs", "A.abs()", () => A().abs()),
        Case("abs_int", "I.abs()", () => I().abs()),
        Case("sign", "A.sign()", () => A().sign()),
        Case("sign_int", "I.sign()", () => I().sign()),
        Case("sqrt_with_negatives", "A.sqrt()", () => A().sqrt()),
        Case("sqrt", "P.sqrt()", () => P().sqrt()),
        Case("rsqrt", "P.rsqrt()", () => P().rsqrt()),
        Case("exp", "A.exp()", () => A().exp()),
        Case("log", "P.log()", () => P().log()),
        Case("log_with_negatives", "A.log()", () => A().log()),
        Case("log1p", "P.log1p()", () => P().log1p()),
        Case("log2", "P.log2()", () => P().log2()),
        Case("log10", "P.log10()", () => P().log10()),
        Case("pow_2", "A.pow(2)", () => A().pow(2)),
        Case("pow_half", "P.pow(0.5)", () => P().pow(0.5)),
        Case("pow_tensor", "P.pow(A)", () => P().pow(A())),
        Case("pow_int", "I.pow(2)", () => I().pow(2)),
        Case("square", "A.square()", () => A().square()),
        Case("reciprocal", "A.reciprocal()", () => A().reciprocal()),
        Case("sin", "A.sin()", () => A().sin()),
        Case("cos", "A.cos()", () => A().cos()),
        Case("tanh", "A.tanh()", () => A().tanh()),
        Case("sigmoid", "A.sigmoid()", () => A().sigmoid()),
        Case("relu", "A.relu()", () => A().relu()),
        Case("erf", "A.erf()", () => A().erf()),
        Case("floor", "R.floor()", () => R().floor()),
        Case("ceil", "R.ceil()", () => R().ceil()),
        Case("round_half_even", "R.round()", () => R().round()),
        Case("trunc", "R.trunc()", () => R().trunc()),
        Case("isnan", "A.sqrt().isnan()", () => A().sqrt().isnan()),
        Case("isfinite", "A.log().isfinite()", () => A().log().isfinite()),
        Case("float64_exp", "D.exp()", () => D().exp(), 1e-12, 1e-12),
        Case("addcmul", "A.addcmul(B, C, value=0.5)", () => A().addcmul(B(), C(), 0.5)),
        Case("addcdiv", "A.addcdiv(B, P, value=-2)", () => A().addcdiv(B(), P(), -2)),
    };

    private static readonly Lazy<Dictionary<string, (ReferenceTensor[]? Results, string? Error)>> s_reference
        = new(() => Evaluate(Prelude, s_cases));

    public static TheoryData<string> Names => new(s_cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesPyTorch(string name) => Check(s_cases.Single(c => c.Name == name), s_reference.Value);
}
