namespace MLRobust.Torch;

/// <summary>torch.* functions that mirror Tensor methods (torch.exp(x) is x.exp()), so code reads
/// like PyTorch with <c>using static MLRobust.Torch.torch;</c>.</summary>
public static partial class torch
{
    // ---- elementwise ----

    public static Tensor abs(Tensor input) => input.abs();
    public static Tensor sign(Tensor input) => input.sign();
    public static Tensor sqrt(Tensor input) => input.sqrt();
    public static Tensor rsqrt(Tensor input) => input.rsqrt();
    public static Tensor exp(Tensor input) => input.exp();
    public static Tensor log(Tensor input) => input.log();
    public static Tensor log1p(Tensor input) => input.log1p();
    public static Tensor log2(Tensor input) => input.log2();
    public static Tensor log10(Tensor input) => input.log10();
    public static Tensor sin(Tensor input) => input.sin();
    public static Tensor cos(Tensor input) => input.cos();
    public static Tensor tanh(Tensor input) => input.tanh();
    public static Tensor sigmoid(Tensor input) => input.sigmoid();
    public static Tensor relu(Tensor input) => input.relu();
    public static Tensor floor(Tensor input) => input.floor();
    public static Tensor ceil(Tensor input) => input.ceil();
    public static Tensor round(Tensor input) => input.round();
    public static Tensor trunc(Tensor input) => input.trunc();
    public static Tensor square(Tensor input) => input.square();
    public static Tensor reciprocal(Tensor input) => input.reciprocal();
    public static Tensor erf(Tensor input) => input.erf();
    public static Tensor neg(Tensor input) => input.neg();
    public static Tensor isnan(Tensor input) => input.isnan();
    public static Tensor isfinite(Tensor input) => input.isfinite();
    public static Tensor logical_not(Tensor input) => input.logical_not();
    public static Tensor logical_and(Tensor input, Tensor other) => input.logical_and(other);
    public static Tensor logical_or(Tensor input, Tensor other) => input.logical_or(other);
    public static Tensor logical_xor(Tensor input, Tensor other) => input.logical_xor(other);

    public static Tensor softmax(Tensor input, long dim, ScalarType? dtype = null) => nn.functional.softmax(input, dim, dtype);
    public static Tensor log_softmax(Tensor input, long dim, ScalarType? dtype = null) => nn.functional.log_softmax(input, dim, dtype);

    public static Tensor clamp(Tensor input, Scalar? min = null, Scalar? max = null) => input.clamp(min, max);
    public static Tensor clamp(Tensor input, Tensor? min, Tensor? max) => input.clamp(min, max);
    public static Tensor clip(Tensor input, Scalar? min = null, Scalar? max = null) => input.clamp(min, max);
    public static Tensor clamp_min(Tensor input, Scalar min) => input.clamp_min(min);
    public static Tensor clamp_max(Tensor input, Scalar max) => input.clamp_max(max);

    // ---- arithmetic ----

    public static Tensor add(Tensor input, Tensor other) => input.add(other);
    public static Tensor add(Tensor input, Tensor other, Scalar alpha) => input.add(other, alpha);
    public static Tensor add(Tensor input, Scalar other) => input.add(other);
    public static Tensor sub(Tensor input, Tensor other) => input.sub(other);
    public static Tensor sub(Tensor input, Scalar other) => input.sub(other);
    public static Tensor mul(Tensor input, Tensor other) => input.mul(other);
    public static Tensor mul(Tensor input, Scalar other) => input.mul(other);
    public static Tensor div(Tensor input, Tensor other) => input.div(other);
    public static Tensor div(Tensor input, Scalar other) => input.div(other);
    public static Tensor pow(Tensor input, Scalar exponent) => input.pow(exponent);
    public static Tensor pow(Tensor input, Tensor exponent) => input.pow(exponent);
    public static Tensor maximum(Tensor input, Tensor other) => input.maximum(other);
    public static Tensor minimum(Tensor input, Tensor other) => input.minimum(other);
    public static Tensor addcmul(Tensor input, Tensor tensor1, Tensor tensor2, Scalar value) => input.addcmul(tensor1, tensor2, value);
    public static Tensor addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, Scalar value) => input.addcdiv(tensor1, tensor2, value);

    // ---- linear algebra ----

    public static Tensor matmul(Tensor input, Tensor other) => input.matmul(other);
    public static Tensor mm(Tensor input, Tensor mat2) => input.mm(mat2);
    public static Tensor bmm(Tensor input, Tensor mat2) => input.bmm(mat2);
    public static Tensor dot(Tensor input, Tensor other) => input.dot(other);
    public static Tensor outer(Tensor input, Tensor vec2) => input.outer(vec2);

    // ---- comparisons ----

    public static Tensor eq(Tensor input, Tensor other) => input.eq(other);
    public static Tensor eq(Tensor input, Scalar other) => input.eq(other);
    public static Tensor ne(Tensor input, Tensor other) => input.ne(other);
    public static Tensor ne(Tensor input, Scalar other) => input.ne(other);
    public static Tensor lt(Tensor input, Tensor other) => input.lt(other);
    public static Tensor lt(Tensor input, Scalar other) => input.lt(other);
    public static Tensor le(Tensor input, Tensor other) => input.le(other);
    public static Tensor le(Tensor input, Scalar other) => input.le(other);
    public static Tensor gt(Tensor input, Tensor other) => input.gt(other);
    public static Tensor gt(Tensor input, Scalar other) => input.gt(other);
    public static Tensor ge(Tensor input, Tensor other) => input.ge(other);
    public static Tensor ge(Tensor input, Scalar other) => input.ge(other);
    public static bool allclose(Tensor input, Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false) => input.allclose(other, rtol, atol, equal_nan);
    public static bool equal(Tensor input, Tensor other) => input.equal(other);

    // ---- reductions ----

    public static Tensor sum(Tensor input, ScalarType? type = null) => input.sum(type);
    public static Tensor sum(Tensor input, long dim, bool keepdim = false, ScalarType? type = null) => input.sum(dim, keepdim, type);
    public static Tensor sum(Tensor input, long[] dim, bool keepdim = false, ScalarType? type = null) => input.sum(dim, keepdim, type);
    public static Tensor mean(Tensor input, ScalarType? type = null) => input.mean(type);
    public static Tensor mean(Tensor input, long dim, bool keepdim = false, ScalarType? type = null) => input.mean(dim, keepdim, type);
    public static Tensor mean(Tensor input, long[] dimensions, bool keepdim = false, ScalarType? type = null) => input.mean(dimensions, keepdim, type);
    public static Tensor prod(Tensor input, ScalarType? type = null) => input.prod(type);
    public static Tensor max(Tensor input) => input.max();
    public static (Tensor values, Tensor indexes) max(Tensor input, long dim, bool keepdim = false) => input.max(dim, keepdim);
    /// <summary>Elementwise maximum (torch.max(a, b)).</summary>
    public static Tensor max(Tensor input, Tensor other) => input.maximum(other);
    public static Tensor min(Tensor input) => input.min();
    public static (Tensor values, Tensor indexes) min(Tensor input, long dim, bool keepdim = false) => input.min(dim, keepdim);
    /// <summary>Elementwise minimum (torch.min(a, b)).</summary>
    public static Tensor min(Tensor input, Tensor other) => input.minimum(other);
    public static Tensor amax(Tensor input, long[] dims, bool keepdim = false) => input.amax(dims, keepdim);
    public static Tensor amin(Tensor input, long[] dims, bool keepdim = false) => input.amin(dims, keepdim);
    public static Tensor argmax(Tensor input) => input.argmax();
    public static Tensor argmax(Tensor input, long dim, bool keepdim = false) => input.argmax(dim, keepdim);
    public static Tensor argmin(Tensor input) => input.argmin();
    public static Tensor argmin(Tensor input, long dim, bool keepdim = false) => input.argmin(dim, keepdim);
    public static Tensor std(Tensor input, bool unbiased = true) => input.std(unbiased);
    public static Tensor std(Tensor input, long dim, bool unbiased = true, bool keepdim = false) => input.std(dim, unbiased, keepdim);
    public static Tensor var(Tensor input, bool unbiased = true) => input.var(unbiased);
    public static Tensor var(Tensor input, long dim, bool unbiased = true, bool keepdim = false) => input.var(dim, unbiased, keepdim);
    public static Tensor norm(Tensor input, double p = 2) => input.norm(p);
    public static Tensor norm(Tensor input, long dim, bool keepdim = false, double p = 2) => input.norm(dim, keepdim, p);
    public static Tensor logsumexp(Tensor input, long dim, bool keepdim = false) => input.logsumexp(dim, keepdim);
    public static Tensor cumsum(Tensor input, long dim, ScalarType? type = null) => input.cumsum(dim, type);
    public static Tensor all(Tensor input) => input.all();
    public static Tensor any(Tensor input) => input.any();
    public static Tensor count_nonzero(Tensor input) => input.count_nonzero();
    public static (Tensor values, Tensor indexes) topk(Tensor input, long k, long dim = -1, bool largest = true, bool sorted = true) => input.topk(k, dim, largest, sorted);
    public static (Tensor values, Tensor indices) sort(Tensor input, long dim = -1, bool descending = false) => input.sort(dim, descending);
    public static Tensor argsort(Tensor input, long dim = -1, bool descending = false) => input.argsort(dim, descending);

    // ---- shape and indexing ----

    public static Tensor reshape(Tensor input, params long[] shape) => input.reshape(shape);
    public static Tensor flatten(Tensor input, long start_dim = 0, long end_dim = -1) => input.flatten(start_dim, end_dim);
    public static Tensor permute(Tensor input, params long[] dims) => input.permute(dims);
    public static Tensor transpose(Tensor input, long dim0, long dim1) => input.transpose(dim0, dim1);
    public static Tensor t(Tensor input) => input.t();
    public static Tensor squeeze(Tensor input) => input.squeeze();
    public static Tensor squeeze(Tensor input, long dim) => input.squeeze(dim);
    public static Tensor unsqueeze(Tensor input, long dim) => input.unsqueeze(dim);
    public static Tensor clone(Tensor input) => input.clone();
    public static Tensor flip(Tensor input, params long[] dims) => input.flip(dims);
    public static Tensor roll(Tensor input, long shifts, long dims) => input.roll(shifts, dims);
    public static Tensor narrow(Tensor input, long dim, long start, long length) => input.narrow(dim, start, length);
    public static Tensor gather(Tensor input, long dim, Tensor index) => input.gather(dim, index);
    public static Tensor index_select(Tensor input, long dim, Tensor index) => input.index_select(dim, index);
    public static Tensor masked_fill(Tensor input, Tensor mask, Scalar value) => input.masked_fill(mask, value);
    public static Tensor[] chunk(Tensor input, long chunks, long dim = 0) => input.chunk(chunks, dim);
    public static Tensor[] split(Tensor input, long split_size, long dim = 0) => input.split(split_size, dim);
    public static Tensor[] unbind(Tensor input, long dim = 0) => input.unbind(dim);
    public static long numel(Tensor input) => input.numel();
}
