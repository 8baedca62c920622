using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.TensorOpsInputs;
using static MLRobust.Torch.Tests.TensorOpsOracle;

namespace MLRobust.Torch.Tests;

/// <summary>Views and reshapes, cat/stack, slicing and advanced indexing, and in-place updates,
/// each against PyTorch on the same inputs.</summary>
public class TensorOpsShapeTests
{
    private static readonly OpCase[] s_cases =
    {
        // views and reshapes (compared as row-major values, so strides must be honoured)
        Case("reshape", "A.reshape(3, 2)", () => A().reshape(3, 2)),
        Case("view_inferred", "A.view(-1)", () => A().view(-1)),
        Case("view_as", "X.view_as(X.reshape(4, 6))", () => X().view_as(X().reshape(4, 6))),
        Case("permute", "X.permute(2, 0, 1)", () => X().permute(2, 0, 1)),
        Case("transpose", "X.transpose(0, 2)", () => X().transpose(0, 2)),
        Case("t", "A.t()", () => A().t()),
        Case("reshape_of_transpose", "A.t().reshape(-1)", () => A().t().reshape(-1)),
        Case("flatten", "X.flatten()", () => X().flatten()),
        Case("flatten_from_1", "X.flatten(1)", () => X().flatten(1)),
        Case("unflatten", "X.unflatten(2, (2, 2))", () => X().unflatten(2, 2, 2)),
        Case("unsqueeze", "A.unsqueeze(1)", () => A().unsqueeze(1)),
        Case("unsqueeze_last", "A.unsqueeze(-1)", () => A().unsqueeze(-1)),
        Case("squeeze_all", "A.reshape(1, 2, 1, 3).squeeze()", () => A().reshape(1, 2, 1, 3).squeeze()),
        Case("squeeze_dim", "A.unsqueeze(0).squeeze(0)", () => A().unsqueeze(0).squeeze(0)),
        Case("squeeze_non_unit_dim", "A.squeeze(1)", () => A().squeeze(1)),
        Case("expand", "C.expand(2, 3)", () => C().expand(2, 3)),
        Case("expand_keep", "B.expand(2, -1)", () => B().expand(2, -1)),
        Case("expand_as", "C.expand_as(A)", () => C().expand_as(A())),
        Case("repeat", "A.repeat(2, 1, 2)", () => A().repeat(2, 1, 2)),
        Case("flip", "X.flip([0, 2])", () => X().flip(0, 2)),
        Case("roll", "torch.roll(A.flatten(), 2, 0)", () => A().flatten().roll(2, 0)),
        Case("contiguous_permuted", "X.permute(1, 2, 0).contiguous()", () => X().permute(1, 2, 0).contiguous()),
        CaseN("chunk", "X.chunk(2, 2)", () => X().chunk(2, 2)),
        CaseN("split", "X.split(1, 1)", () => X().split(1, 1)),
        CaseN("split_sizes", "X.split([1, 3], 2)", () => X().split(new long[] { 1, 3 }, 2)),
        CaseN("unbind", "A.unbind(1)", () => A().unbind(1)),

        // cat and stack
        Case("cat_rows", "torch.cat([A, A * 2], 0)", () => cat(new[] { A(), A() * 2 }, 0)),
        Case("cat_columns", "torch.cat([A, C], 1)", () => cat(new[] { A(), C() }, 1)),
        Case("cat_promotes", "torch.cat([A, D])", () => cat(new[] { A(), D() }), 1e-7, 1e-7),
        Case("stack_first", "torch.stack([A, A + 1])", () => stack(new[] { A(), A() + 1 })),
        Case("stack_last", "torch.stack([A, -A], 2)", () => stack(new[] { A(), -A() }, 2)),

        // slicing and indexing
        Case("narrow", "X.narrow(2, 1, 2)", () => X().narrow(2, 1, 2)),
        Case("select", "X.select(1, 2)", () => X().select(1, 2)),
        Case("select_negative", "X.select(2, -1)", () => X().select(2, -1)),
        Case("slice_step", "X[:, :, 0:4:2]", () => X().slice(2, 0, 4, 2)),
        Case("slice_open_end", "X[:, 1:]", () => X().slice(1, 1, null)),
        Case("index_first_dim", "X[1]", () => X()[1]),
        Case("index_select", "X.index_select(2, torch.tensor([3, 0, 3]))", () => X().index_select(2, Long(3, 0, 3))),
        Case("boolean_mask", "A[M]", () => A()[M()]),
        Case("boolean_mask_from_comparison", "X[X > 0]", () => { var x = X(); return x[x > 0]; }),
        Case("masked_select", "A.masked_select(M)", () => A().masked_select(M())),
        Case("index_long", "A[torch.tensor([1, 0, 1])]", () => A().index(Long(1, 0, 1))),
        Case("index_pairs", "A[torch.tensor([1, 0]), torch.tensor([2, 2])]", () => A().index(Long(1, 0), Long(2, 2))),
        Case("index_second_dim", "A[:, torch.tensor([2, 0])]", () => A().index(null, Long(2, 0))),
        Case("index_put", "t = A.clone(); t[torch.tensor([0, 1]), torch.tensor([2, 0])] = torch.tensor([9., 8.]); t",
            () => A().clone().index_put_(tensor(new[] { 9f, 8f }), Long(0, 1), Long(2, 0))),
        Case("index_put_accumulate", "t = torch.zeros(4); t.index_put_((torch.tensor([0, 0, 2]),), torch.tensor([1., 2., 3.]), accumulate=True); t",
            () => zeros(4).index_put_(tensor(new[] { 1f, 2f, 3f }), true, Long(0, 0, 2))),
        Case("index_put_mask", "t = A.clone(); t[M] = torch.tensor(0.); t", () => A().clone().index_put_(tensor(0f), M())),
        Case("masked_fill", "A.masked_fill(M, -1)", () => A().masked_fill(M(), -1)),
        Case("gather", "X.gather(2, torch.tensor([[[0], [3], [1]], [[2], [2], [0]]]))", () => X().gather(2, tensor(new long[] { 0, 3, 1, 2, 2, 0 }, new long[] { 2, 3, 1 }))),
        Case("scatter", "torch.zeros(2, 4).scatter(1, torch.tensor([[3, 0], [1, 2]]), torch.tensor([[1., 2.], [3., 4.]]))",
            () => zeros(2, 4).scatter(1, tensor(new long[] { 3, 0, 1, 2 }, new long[] { 2, 2 }), tensor(new[] { 1f, 2f, 3f, 4f }, new long[] { 2, 2 }))),
        Case("scatter_value", "torch.zeros(2, 4).scatter(1, torch.tensor([[3], [1]]), 5.0)",
            () => zeros(2, 4).scatter(1, tensor(new long[] { 3, 1 }, new long[] { 2, 1 }), 5.0)),
        Case("nonzero", "M.nonzero()", () => M().nonzero()),
        Case("one_hot", "torch.nn.functional.one_hot(torch.tensor([0, 2, 1]), 4)", () => Long(0, 2, 1).one_hot(4)),

        // in-place updates (on clones, so the inputs stay as they are)
        Case("add_", "t = A.clone(); t.add_(B); t", () => A().add_(B())),
        Case("add_alpha_", "t = A.clone(); t.add_(C, alpha=-2); t", () => A().add_(C(), -2)),
        Case("add_scalar_", "t = A.clone(); t.add_(1.5); t", () => A().add_(1.5)),
        Case("sub_", "t = A.clone(); t.sub_(B); t", () => A().sub_(B())),
        Case("mul_", "t = A.clone(); t.mul_(B); t", () => A().mul_(B())),
        Case("mul_scalar_", "t = A.clone(); t.mul_(-2); t", () => A().mul_(-2)),
        Case("div_", "t = A.clone(); t.div_(C); t", () => A().div_(C())),
        Case("addcmul_", "t = A.clone(); t.addcmul_(B, C, value=0.5); t", () => A().addcmul_(B(), C(), 0.5)),
        Case("addcdiv_", "t = A.clone(); t.addcdiv_(A, P, value=-1.5); t", () => { var t = A(); return t.addcdiv_(A(), P(), -1.5); }),
        Case("copy_broadcast_", "t = torch.zeros(2, 3); t.copy_(B); t", () => zeros(2, 3).copy_(B())),
        Case("copy_converts_dtype_", "t = torch.zeros(2, 3, dtype=torch.float64); t.copy_(I); t", () => zeros(new long[] { 2, 3 }, ScalarType.Float64).copy_(I())),
        Case("zero_", "t = A.clone(); t.zero_(); t", () => A().zero_()),
        Case("clamp_", "t = A.clone(); t.clamp_(-0.5, 0.5); t", () => A().clamp_(-0.5, 0.5)),
        Case("clamp_min_only_", "t = A.clone(); t.clamp_(min=0); t", () => A().clamp_(min: 0)),
        Case("fill_", "t = A.clone(); t.fill_(3.5); t", () => A().fill_(3.5)),
        Case("masked_fill_", "t = A.clone(); t.masked_fill_(M, 7); t", () => A().masked_fill_(M(), 7)),
        Case("sqrt_", "t = P.clone(); t.sqrt_(); t", () => P().sqrt_()),
        Case("abs_", "t = A.clone(); t.abs_(); t", () => A().abs_()),
        Case("neg_", "t = A.clone(); t.neg_(); t", () => A().neg_()),
        Case("lerp_", "t = A.clone(); t.lerp_(B.expand(2, 3), 0.25); t", () => A().lerp_(B().expand(2, 3), 0.25)),
        Case("scatter_", "t = torch.zeros(2, 4); t.scatter_(1, torch.tensor([[3], [1]]), 2.0); t", () => zeros(2, 4).scatter_(1, tensor(new long[] { 3, 1 }, new long[] { 2, 1 }), 2.0)),
        Case("in_place_on_view_writes_base", "t = A.clone(); t.narrow(1, 0, 2).mul_(10); t", () => { var t = A(); t.narrow(1, 0, 2).mul_(10); return t; }),
        Case("int_add_", "t = I.clone(); t.add_(J); t", () => I().add_(J())),
        Case("int_mul_", "t = I.clone(); t.mul_(3); t", () => I().mul_(3)),
    };

    private static readonly Lazy<Dictionary<string, (ReferenceTensor[]? Results, string? Error)>> s_reference
        = new(() => Evaluate(Prelude, s_cases));

    public static TheoryData<string> Names => new(s_cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesPyTorch(string name) => Check(s_cases.Single(c => c.Name == name), s_reference.Value);

    [Fact]
    public void ViewsShareStorageAndReportStrides()
    {
        using var scope = NewDisposeScope();
        var x = X();
        var p = x.permute(2, 0, 1);
        Assert.Equal(new long[] { 12, 4, 1 }, x.stride());
        Assert.Equal(new long[] { 1, 12, 4 }, p.stride());
        Assert.False(p.is_contiguous());
        p.select(0, 0).fill_(0);
        // Element [b, r, 0] of x is now zero for every b, r; the others are untouched.
        var values = x.data<float>().ToArray();
        for (var k = 0; k < 24; k++)
            Assert.Equal(k % 4 == 0, values[k] == 0);
    }
}
