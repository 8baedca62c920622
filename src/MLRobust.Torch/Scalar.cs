namespace MLRobust.Torch;

internal enum ScalarKind : byte { Floating, Integer, Boolean }

/// <summary>A number passed to an operator (alpha, fill value, clamp bound). Converts implicitly
/// from .NET numbers and keeps whether it is integral, as libtorch's Scalar does.</summary>
public readonly struct Scalar
{
    internal readonly ScalarKind Kind;
    internal readonly double FloatValue;
    internal readonly long IntegerValue;

    private Scalar(ScalarKind kind, double f, long i)
    {
        Kind = kind;
        FloatValue = f;
        IntegerValue = i;
    }

    public static implicit operator Scalar(double v) => new(ScalarKind.Floating, v, 0);
    public static implicit operator Scalar(float v) => new(ScalarKind.Floating, v, 0);
    public static implicit operator Scalar(long v) => new(ScalarKind.Integer, v, v);
    public static implicit operator Scalar(int v) => new(ScalarKind.Integer, v, v);
    public static implicit operator Scalar(byte v) => new(ScalarKind.Integer, v, v);
    public static implicit operator Scalar(bool v) => new(ScalarKind.Boolean, v ? 1 : 0, v ? 1 : 0);

    public double ToDouble() => Kind == ScalarKind.Floating ? FloatValue : IntegerValue;
    public long ToInt64() => Kind == ScalarKind.Floating ? (long)FloatValue : IntegerValue;
    public override string ToString() => Kind == ScalarKind.Floating ? FloatValue.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : IntegerValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
