using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.TensorOpsInputs;
using static MLRobust.Torch.Tests.TensorOpsOracle;

namespace MLRobust.Torch.Tests;

/// <summary>Reductions (with dims, keepdim, indices), statistics, norms, sorting and matrix
/// products, each against PyTorch on the same inputs.</summary>
public class TensorOpsReductionTests
{
    private static readonly OpCase[] s_cases =
    {
        Case("sum_all", "A.sum()", () => A().sum()),
        Case("sum_dim", "A.sum(1)", () => A().sum(1)),
        Case("sum_dims_keepdim", "X.sum([0, 2], keepdim=True)", () => X().sum(new long[] { 0, 2 }, keepdim: true)),
        Case("sum_negative_dim", "X.sum(-1)", () => X().sum(-1)),
        Case("sum_int64", "I.sum()", () => I().sum()),
        Case("sum_int32_promotes", "J.sum()", () => J().sum()),
        Case("sum_bool_counts", "M.sum()", () => M().sum()),
        Case("sum_as_float64", "A.sum(dtype=torch.float64)", () => A().sum(ScalarType.Float64)),
        // Literal 0 converts to any enum in C#: these must still mean dimension 0, not a dtype.
        Case("sum_dim_zero", "A.sum(0)", () => A().sum(0)),
        Case("mean_dim_zero", "A.mean(0)", () => A().mean(0)),
        Case("prod_dim_zero", "P.prod(0)", () => P().prod(0)),
        Case("prod_dim_keepdim", "P.prod(1, keepdim=True)", () => P().prod(1, keepdim: true)),
        Case("sum_long_dim", "A.sum(1)", () => { long dim = 1; return A().sum(dim); }),
        Case("mean_dims_keepdim", "X.mean([0, 2], keepdim=True)", () => X().mean(new long[] { 0, 2 }, keepdim: true)),
        Case("mean_all", "X.mean()", () => X().mean()),
        Case("prod", "P.prod()", () => P().prod()),
        Case("max_all", "X.max()", () => X().max()),
        Case2("max_dim_with_indices", "X.max(1)", () => X().max(1)),
        Case2("min_dim_keepdim_with_indices", "X.min(0, keepdim=True)", () => X().min(0, keepdim: true)),
        Case("min_all", "X.min()", () => X().min()),
        Case("argmax_all", "X.argmax()", () => X().argmax()),
        Case("argmax_dim", "X.argmax(2)", () => X().argmax(2)),
        Case("argmax_keepdim", "X.argmax(1, keepdim=True)", () => X().argmax(1, keepdim: true)),
        Case("argmin_dim", "X.argmin(0)", () => X().argmin(0)),
        Case("argmin_all", "X.argmin()", () => X().argmin()),
        Case("amax", "X.amax([0, 1])", () => X().amax(new long[] { 0, 1 })),
        Case("amin_keepdim", "X.amin([2], keepdim=True)", () => X().amin(new long[] { 2 }, keepdim: true)),
        Case("std_all", "X.std()", () => X().std()),
        Case("std_dim", "X.std(1)", () => X().std(1)),
        Case("std_biased", "X.std(0, unbiased=False)", () => X().std(0, unbiased: false)),
        Case("std_all_biased", "X.std(unbiased=False)", () => X().std(unbiased: false)),
        Case("var_all", "X.var()", () => X().var()),
        Case("var_dim_keepdim", "X.var(2, keepdim=True)", () => X().var(2, keepdim: true)),
        Case("var_dims", "X.var([0, 2])", () => X().var(new long[] { 0, 2 })),
        Case("norm_all", "X.norm()", () => X().norm()),
        Case("norm_dim", "X.norm(dim=2)", () => X().norm(2)),
        Case("norm_p1", "X.norm(p=1)", () => X().norm(1.0)),
        Case("norm_inf", "X.norm(p=float('inf'))", () => X().norm(double.PositiveInfinity)),
        Case("norm_dims_keepdim", "X.norm(p=2, dim=[1, 2], keepdim=True)", () => X().norm(new long[] { 1, 2 }, keepdim: true)),
        Case("norm_p1_dim", "X.norm(p=1, dim=1)", () => X().norm(1, keepdim: false, p: 1)),
        Case("logsumexp", "X.logsumexp(1)", () => X().logsumexp(1)),
        Case("cumsum", "X.cumsum(2)", () => X().cumsum(2)),
        Case("all", "M.all()", () => M().all()),
        Case("any_dim", "M.any(1)", () => M().any(1)),
        Case("all_dim_keepdim", "(A > -2).all(0, keepdim=True)", () => (A() > -2).all(0, keepdim: true)),
        Case("count_nonzero", "torch.count_nonzero(A > 0)", () => (A() > 0).count_nonzero()),
        Case2("topk", "X.reshape(-1).topk(5)", () => X().reshape(-1).topk(5)),
        Case2("topk_smallest_dim", "X.topk(2, dim=1, largest=False)", () => X().topk(2, dim: 1, largest: false)),
        Case2("sort_descending", "X.sort(1, descending=True)", () => X().sort(1, descending: true)),
        Case("argsort", "X.argsort(2)", () => X().argsort(2)),

        // matrix products
        Case("matmul_2d", "A @ W", () => A().matmul(W())),
        Case("matmul_batched", "X @ X.transpose(1, 2)", () => X().matmul(X().transpose(1, 2))),
        Case("matmul_broadcast", "X @ W2", () => X().matmul(W2())),
        Case("matmul_vector_matrix", "B @ W", () => B().matmul(W())),
        Case("matmul_matrix_vector", "W.t() @ B", () => W().t().matmul(B())),
        Case("mm", "A.mm(W)", () => A().mm(W())),
        Case("bmm", "X.bmm(X.transpose(1, 2))", () => X().bmm(X().transpose(1, 2))),
        Case("dot", "B.dot(B)", () => B().dot(B())),
        Case("outer", "B.outer(C.flatten())", () => B().outer(C().flatten())),
        Case("matmul_float64", "D @ D.t()", () => D().matmul(D().t()), 1e-12, 1e-12),
    };

    private static readonly Lazy<Dictionary<string, (ReferenceTensor[]? Results, string? Error)>> s_reference
        = new(() => Evaluate(Prelude, s_cases));

    public static TheoryData<string> Names => new(s_cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesPyTorch(string name) => Check(s_cases.Single(c => c.Name == name), s_reference.Value);
}
