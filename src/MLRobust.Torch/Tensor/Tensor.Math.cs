using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private static readonly Op s_add = new("aten::add", "Tensor"), s_addS = new("aten::add", "Scalar");
        private static readonly Op s_add_ = new("aten::add_", "Tensor"), s_addS_ = new("aten::add_", "Scalar");
        private static readonly Op s_sub = new("aten::sub", "Tensor"), s_subS = new("aten::sub", "Scalar");
        private static readonly Op s_sub_ = new("aten::sub_", "Tensor"), s_subS_ = new("aten::sub_", "Scalar");
        private static readonly Op s_rsubS = new("aten::rsub", "Scalar");
        private static readonly Op s_mul = new("aten::mul", "Tensor"), s_mulS = new("aten::mul", "Scalar");
        private static readonly Op s_mul_ = new("aten::mul_", "Tensor"), s_mulS_ = new("aten::mul_", "Scalar");
        private static readonly Op s_div = new("aten::div", "Tensor"), s_divS = new("aten::div", "Scalar");
        private static readonly Op s_divMode = new("aten::div", "Tensor_mode");
        private static readonly Op s_div_ = new("aten::div_", "Tensor"), s_divS_ = new("aten::div_", "Scalar");
        private static readonly Op s_powS = new("aten::pow", "Tensor_Scalar"), s_powT = new("aten::pow", "Tensor_Tensor"), s_powSS = new("aten::pow", "Scalar");
        private static readonly Op s_remainderS = new("aten::remainder", "Scalar");
        private static readonly Op s_neg = new("aten::neg"), s_neg_ = new("aten::neg_");
        private static readonly Op s_abs = new("aten::abs"), s_sign = new("aten::sign"), s_sqrt = new("aten::sqrt"), s_rsqrt = new("aten::rsqrt");
        private static readonly Op s_exp = new("aten::exp"), s_log = new("aten::log"), s_log1p = new("aten::log1p"), s_log2 = new("aten::log2"), s_log10 = new("aten::log10");
        private static readonly Op s_sin = new("aten::sin"), s_cos = new("aten::cos"), s_tanh = new("aten::tanh"), s_sigmoid = new("aten::sigmoid");
        private static readonly Op s_floor = new("aten::floor"), s_ceil = new("aten::ceil"), s_round = new("aten::round"), s_trunc = new("aten::trunc");
        private static readonly Op s_square = new("aten::square"), s_reciprocal = new("aten::reciprocal"), s_erf = new("aten::erf");
        private static readonly Op s_relu = new("aten::relu");
        private static readonly Op s_clamp = new("aten::clamp"), s_clampT = new("aten::clamp", "Tensor"), s_clamp_ = new("aten::clamp_"), s_clampT_ = new("aten::clamp_", "Tensor");
        private static readonly Op s_clamp_min = new("aten::clamp_min"), s_clamp_max = new("aten::clamp_max");
        private static readonly Op s_maximum = new("aten::maximum"), s_minimum = new("aten::minimum");
        private static readonly Op s_matmul = new("aten::matmul"), s_mm = new("aten::mm"), s_bmm = new("aten::bmm"), s_dot = new("aten::dot"), s_outer = new("aten::outer");
        private static readonly Op s_addcmul_ = new("aten::addcmul_"), s_addcdiv_ = new("aten::addcdiv_"), s_addcmul = new("aten::addcmul"), s_addcdiv = new("aten::addcdiv");
        private static readonly Op s_lerp_ = new("aten::lerp_", "Scalar");
        private static readonly Op s_copy_ = new("aten::copy_"), s_zero_ = new("aten::zero_"), s_fill_ = new("aten::fill_", "Scalar");
        private static readonly Op s_normal_ = new("aten::normal_"), s_uniform_ = new("aten::uniform_"), s_bernoulli_ = new("aten::bernoulli_", "float");
        private static readonly Op s_sqrt_ = new("aten::sqrt_"), s_abs_ = new("aten::abs_"), s_sign_ = new("aten::sign_"), s_exp_ = new("aten::exp_");
        private static readonly Op s_relu_ = new("aten::relu_"), s_sigmoid_ = new("aten::sigmoid_"), s_tanh_ = new("aten::tanh_");
        private static readonly Op s_isnan = new("aten::isnan"), s_isfinite = new("aten::isfinite");
        private static readonly Op s_logical_and = new("aten::logical_and"), s_logical_or = new("aten::logical_or"), s_logical_not = new("aten::logical_not"), s_logical_xor = new("aten::logical_xor");
        private static readonly Op s_allclose = new("aten::allclose"), s_equal = new("aten::equal");

        // ---- arithmetic (broadcasting) ----

        public Tensor add(Tensor other) => s_add.Begin().T(this).T(other).ToTensor();
        public Tensor add(Tensor other, Scalar alpha) => s_add.Begin().T(this).T(other).S(alpha).ToTensor();
        public Tensor add(Scalar other) => s_addS.Begin().T(this).S(other).ToTensor();
        public Tensor add_(Tensor other) { s_add_.Begin().T(this).T(other).Run(); return this; }
        public Tensor add_(Tensor other, Scalar alpha) { s_add_.Begin().T(this).T(other).S(alpha).Run(); return this; }
        public Tensor add_(Scalar other) { s_addS_.Begin().T(this).S(other).Run(); return this; }
        public Tensor sub(Tensor other) => s_sub.Begin().T(this).T(other).ToTensor();
        public Tensor sub(Tensor other, Scalar alpha) => s_sub.Begin().T(this).T(other).S(alpha).ToTensor();
        public Tensor sub(Scalar other) => s_subS.Begin().T(this).S(other).ToTensor();
        public Tensor sub_(Tensor other) { s_sub_.Begin().T(this).T(other).Run(); return this; }
        public Tensor sub_(Tensor other, Scalar alpha) { s_sub_.Begin().T(this).T(other).S(alpha).Run(); return this; }
        public Tensor sub_(Scalar other) { s_subS_.Begin().T(this).S(other).Run(); return this; }
        public Tensor mul(Tensor other) => s_mul.Begin().T(this).T(other).ToTensor();
        public Tensor mul(Scalar other) => s_mulS.Begin().T(this).S(other).ToTensor();
        public Tensor mul_(Tensor other) { s_mul_.Begin().T(this).T(other).Run(); return this; }
        public Tensor mul_(Scalar other) { s_mulS_.Begin().T(this).S(other).Run(); return this; }
        public Tensor div(Tensor other) => s_div.Begin().T(this).T(other).ToTensor();
        public Tensor div(Tensor other, string? rounding_mode) => s_divMode.Begin().T(this).T(other).Str(rounding_mode, false).ToTensor();
        public Tensor div(Scalar other) => s_divS.Begin().T(this).S(other).ToTensor();
        public Tensor div_(Tensor other) { s_div_.Begin().T(this).T(other).Run(); return this; }
        public Tensor div_(Scalar other) { s_divS_.Begin().T(this).S(other).Run(); return this; }
        public Tensor pow(Scalar exponent) => s_powS.Begin().T(this).S(exponent).ToTensor();
        public Tensor pow(Tensor exponent) => s_powT.Begin().T(this).T(exponent).ToTensor();
        public Tensor remainder(Scalar other) => s_remainderS.Begin().T(this).S(other).ToTensor();
        public Tensor neg() => s_neg.Begin().T(this).ToTensor();
        public Tensor neg_() { s_neg_.Begin().T(this).Run(); return this; }

        // ---- elementwise functions ----

        public Tensor abs() => Unary(s_abs);
        public Tensor sign() => Unary(s_sign);
        public Tensor sqrt() => Unary(s_sqrt);
        public Tensor rsqrt() => Unary(s_rsqrt);
        public Tensor exp() => Unary(s_exp);
        public Tensor log() => Unary(s_log);
        public Tensor log1p() => Unary(s_log1p);
        public Tensor log2() => Unary(s_log2);
        public Tensor log10() => Unary(s_log10);
        public Tensor sin() => Unary(s_sin);
        public Tensor cos() => Unary(s_cos);
        public Tensor tanh() => Unary(s_tanh);
        public Tensor sigmoid() => Unary(s_sigmoid);
        public Tensor relu() => Unary(s_relu);
        public Tensor floor() => Unary(s_floor);
        public Tensor ceil() => Unary(s_ceil);
        public Tensor round() => Unary(s_round);
        public Tensor trunc() => Unary(s_trunc);
        public Tensor square() => Unary(s_square);
        public Tensor reciprocal() => Unary(s_reciprocal);
        public Tensor erf() => Unary(s_erf);
        public Tensor isnan() => Unary(s_isnan);
        public Tensor isfinite() => Unary(s_isfinite);
        public Tensor logical_not() => Unary(s_logical_not);
        public Tensor logical_and(Tensor other) => s_logical_and.Begin().T(this).T(other).ToTensor();
        public Tensor logical_or(Tensor other) => s_logical_or.Begin().T(this).T(other).ToTensor();
        public Tensor logical_xor(Tensor other) => s_logical_xor.Begin().T(this).T(other).ToTensor();
        public Tensor sqrt_() { s_sqrt_.Begin().T(this).Run(); return this; }
        public Tensor abs_() { s_abs_.Begin().T(this).Run(); return this; }
        public Tensor sign_() { s_sign_.Begin().T(this).Run(); return this; }
        public Tensor exp_() { s_exp_.Begin().T(this).Run(); return this; }
        public Tensor relu_() { s_relu_.Begin().T(this).Run(); return this; }
        public Tensor sigmoid_() { s_sigmoid_.Begin().T(this).Run(); return this; }
        public Tensor tanh_() { s_tanh_.Begin().T(this).Run(); return this; }

        private Tensor Unary(Op op) => op.Begin().T(this).ToTensor();

        public Tensor clamp(Scalar? min = null, Scalar? max = null) => s_clamp.Begin().T(this).S(min).S(max).ToTensor();
        public Tensor clamp(Tensor? min, Tensor? max) => s_clampT.Begin().T(this).T(min).T(max).ToTensor();
        public Tensor clamp_(Scalar? min = null, Scalar? max = null) { s_clamp_.Begin().T(this).S(min).S(max).Run(); return this; }
        public Tensor clamp_(Tensor? min, Tensor? max) { s_clampT_.Begin().T(this).T(min).T(max).Run(); return this; }
        public Tensor clip(Scalar? min = null, Scalar? max = null) => clamp(min, max);
        public Tensor clamp_min(Scalar min) => s_clamp_min.Begin().T(this).S(min).ToTensor();
        public Tensor clamp_max(Scalar max) => s_clamp_max.Begin().T(this).S(max).ToTensor();
        public Tensor maximum(Tensor other) => s_maximum.Begin().T(this).T(other).ToTensor();
        public Tensor minimum(Tensor other) => s_minimum.Begin().T(this).T(other).ToTensor();

        // ---- linear algebra ----

        public Tensor matmul(Tensor other) => s_matmul.Begin().T(this).T(other).ToTensor();
        public Tensor mm(Tensor other) => s_mm.Begin().T(this).T(other).ToTensor();
        public Tensor bmm(Tensor other) => s_bmm.Begin().T(this).T(other).ToTensor();
        public Tensor dot(Tensor other) => s_dot.Begin().T(this).T(other).ToTensor();
        public Tensor outer(Tensor other) => s_outer.Begin().T(this).T(other).ToTensor();

        // ---- in-place updates used by optimizers ----

        public Tensor addcmul_(Tensor tensor1, Tensor tensor2, Scalar value) { s_addcmul_.Begin().T(this).T(tensor1).T(tensor2).S(value).Run(); return this; }
        public Tensor addcdiv_(Tensor tensor1, Tensor tensor2, Scalar value) { s_addcdiv_.Begin().T(this).T(tensor1).T(tensor2).S(value).Run(); return this; }
        public Tensor addcmul(Tensor tensor1, Tensor tensor2, Scalar value) => s_addcmul.Begin().T(this).T(tensor1).T(tensor2).S(value).ToTensor();
        public Tensor addcdiv(Tensor tensor1, Tensor tensor2, Scalar value) => s_addcdiv.Begin().T(this).T(tensor1).T(tensor2).S(value).ToTensor();
        public Tensor lerp_(Tensor end, Scalar weight) { s_lerp_.Begin().T(this).T(end).S(weight).Run(); return this; }
        public Tensor copy_(Tensor source, bool non_blocking = false) { s_copy_.Begin().T(this).T(source).B(non_blocking).Run(); return this; }
        public Tensor zero_() { s_zero_.Begin().T(this).Run(); return this; }
        public Tensor fill_(Scalar value) { s_fill_.Begin().T(this).S(value).Run(); return this; }
        public Tensor normal_(double mean = 0, double std = 1) { s_normal_.Begin().T(this).D(mean).D(std).Run(); return this; }
        public Tensor uniform_(double from = 0, double to = 1) { s_uniform_.Begin().T(this).D(from).D(to).Run(); return this; }
        public Tensor bernoulli_(double p = 0.5) { s_bernoulli_.Begin().T(this).D(p).Run(); return this; }

        // ---- comparisons ----

        public bool allclose(Tensor other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false)
            => s_allclose.Begin().T(this).T(other).D(rtol).D(atol).B(equal_nan).ToLong() != 0;

        /// <summary>True when both tensors have the same shape and elements.</summary>
        public bool equal(Tensor other) => s_equal.Begin().T(this).T(other).ToLong() != 0;
    }
}
