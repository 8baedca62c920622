using MLRobust.Torch.Native;

namespace MLRobust.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        private static readonly Op s_eq = new("aten::eq", "Tensor"), s_eqS = new("aten::eq", "Scalar");
        private static readonly Op s_ne = new("aten::ne", "Tensor"), s_neS = new("aten::ne", "Scalar");
        private static readonly Op s_lt = new("aten::lt", "Tensor"), s_ltS = new("aten::lt", "Scalar");
        private static readonly Op s_le = new("aten::le", "Tensor"), s_leS = new("aten::le", "Scalar");
        private static readonly Op s_gt = new("aten::gt", "Tensor"), s_gtS = new("aten::gt", "Scalar");
        private static readonly Op s_ge = new("aten::ge", "Tensor"), s_geS = new("aten::ge", "Scalar");

        public Tensor eq(Tensor other) => s_eq.Begin().T(this).T(other).ToTensor();
        public Tensor eq(Scalar other) => s_eqS.Begin().T(this).S(other).ToTensor();
        public Tensor ne(Tensor other) => s_ne.Begin().T(this).T(other).ToTensor();
        public Tensor ne(Scalar other) => s_neS.Begin().T(this).S(other).ToTensor();
        public Tensor lt(Tensor other) => s_lt.Begin().T(this).T(other).ToTensor();
        public Tensor lt(Scalar other) => s_ltS.Begin().T(this).S(other).ToTensor();
        public Tensor le(Tensor other) => s_le.Begin().T(this).T(other).ToTensor();
        public Tensor le(Scalar other) => s_leS.Begin().T(this).S(other).ToTensor();
        public Tensor gt(Tensor other) => s_gt.Begin().T(this).T(other).ToTensor();
        public Tensor gt(Scalar other) => s_gtS.Begin().T(this).S(other).ToTensor();
        public Tensor ge(Tensor other) => s_ge.Begin().T(this).T(other).ToTensor();
        public Tensor ge(Scalar other) => s_geS.Begin().T(this).S(other).ToTensor();

        // C# operators. == and != are left to reference equality (as for any .NET object) so that
        // `t == null` keeps its meaning; use eq/ne for elementwise equality.
        public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
        public static Tensor operator +(Tensor a, Scalar b) => a.add(b);
        public static Tensor operator +(Scalar a, Tensor b) => b.add(a);
        public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
        public static Tensor operator -(Tensor a, Scalar b) => a.sub(b);
        public static Tensor operator -(Scalar a, Tensor b) => s_rsubS.Begin().T(b).S(a).ToTensor();
        public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
        public static Tensor operator *(Tensor a, Scalar b) => a.mul(b);
        public static Tensor operator *(Scalar a, Tensor b) => b.mul(a);
        public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
        public static Tensor operator /(Tensor a, Scalar b) => a.div(b);
        public static Tensor operator /(Scalar a, Tensor b) { using var r = b.reciprocal(); return r.mul(a); }
        public static Tensor operator %(Tensor a, Scalar b) => a.remainder(b);
        public static Tensor operator -(Tensor a) => a.neg();
        public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
        public static Tensor operator <(Tensor a, Scalar b) => a.lt(b);
        public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
        public static Tensor operator >(Tensor a, Scalar b) => a.gt(b);
        public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
        public static Tensor operator <=(Tensor a, Scalar b) => a.le(b);
        public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
        public static Tensor operator >=(Tensor a, Scalar b) => a.ge(b);
        public static Tensor operator <(Scalar a, Tensor b) => b.gt(a);
        public static Tensor operator >(Scalar a, Tensor b) => b.lt(a);
        public static Tensor operator <=(Scalar a, Tensor b) => b.ge(a);
        public static Tensor operator >=(Scalar a, Tensor b) => b.le(a);
        public static Tensor operator &(Tensor a, Tensor b) => a.logical_and(b);
        public static Tensor operator |(Tensor a, Tensor b) => a.logical_or(b);
        public static Tensor operator ^(Tensor a, Tensor b) => a.logical_xor(b);
        public static Tensor operator !(Tensor a) => a.logical_not();
    }
}
