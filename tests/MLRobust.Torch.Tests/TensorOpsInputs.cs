using static MLRobust.Torch.torch;
using static MLRobust.Torch.Tests.TensorOpsOracle;

namespace MLRobust.Torch.Tests;

/// <summary>The fixed inputs of the op cases, defined identically on both sides: C# factories
/// (a fresh tensor per call) and a Python prelude binding the same names.</summary>
internal static class TensorOpsInputs
{
    private static readonly float[] s_a = { 0.5f, -1.25f, 2f, 3.5f, 0.75f, -0.125f };
    private static readonly float[] s_b = { 1.5f, -2f, 0.25f };
    private static readonly float[] s_c = { 2f, -3f };
    private static readonly float[] s_p = { 0.25f, 1f, 2.5f, 4f, 9f, 0.1f };
    private static readonly double[] s_d = { 1.1, -2.2, 3.3, -4.4, 5.5, 0 };
    private static readonly long[] s_i = { 1, -2, 3, 4, 5, -6 };
    private static readonly int[] s_j = { 7, 3, -2, 0, 9, 1 };
    private static readonly byte[] s_u = { 0, 7, 255, 128 };
    private static readonly bool[] s_m = { true, false, true, false, false, true };
    private static readonly float[] s_r = { 1.5f, -0.5f, 2.5f, 0.5f, -2.5f, 3.49f };
    // Distinct values (no ties, so argmax/sort agree) of mixed sign.
    private static readonly float[] s_x = Enumerable.Range(0, 24).Select(k => (float)Math.Round(3 * Math.Sin(0.7 * k + 0.3), 4)).ToArray();
    private static readonly float[] s_w = Enumerable.Range(0, 12).Select(k => (k % 5 - 2) * 0.5f + k * 0.125f).ToArray();
    private static readonly float[] s_w2 = { 1f, -1f, 0.5f, 2f, -0.25f, 0f, 3f, 1.5f };

    /// <summary>float32 [2,3]</summary>
    internal static Tensor A() => tensor(s_a, new long[] { 2, 3 });
    /// <summary>float32 [3] (broadcasts along rows)</summary>
    internal static Tensor B() => tensor(s_b, new long[] { 3 });
    /// <summary>float32 [2,1] (broadcasts along columns)</summary>
    internal static Tensor C() => tensor(s_c, new long[] { 2, 1 });
    /// <summary>float32 [2,3], positive</summary>
    internal static Tensor P() => tensor(s_p, new long[] { 2, 3 });
    /// <summary>float64 [2,3]</summary>
    internal static Tensor D() => tensor(s_d, new long[] { 2, 3 });
    /// <summary>int64 [2,3]</summary>
    internal static Tensor I() => tensor(s_i, new long[] { 2, 3 });
    /// <summary>int32 [2,3]</summary>
    internal static Tensor J() => tensor(s_j, new long[] { 2, 3 });
    /// <summary>uint8 [4]</summary>
    internal static Tensor U() => tensor(s_u, new long[] { 4 });
    /// <summary>bool [2,3]</summary>
    internal static Tensor M() => tensor(s_m, new long[] { 2, 3 });
    /// <summary>float32 [6], halves for rounding</summary>
    internal static Tensor R() => tensor(s_r, new long[] { 6 });
    /// <summary>float32 [2,3,4]</summary>
    internal static Tensor X() => tensor(s_x, new long[] { 2, 3, 4 });
    /// <summary>float32 [3,4]</summary>
    internal static Tensor W() => tensor(s_w, new long[] { 3, 4 });
    /// <summary>float32 [4,2]</summary>
    internal static Tensor W2() => tensor(s_w2, new long[] { 4, 2 });
    internal static Tensor Long(params long[] values) => tensor(values);

    internal static readonly string Prelude = string.Join("\n",
        Define("A", "float32", PythonReference.List(s_a), 2, 3),
        Define("B", "float32", PythonReference.List(s_b), 3),
        Define("C", "float32", PythonReference.List(s_c), 2, 1),
        Define("P", "float32", PythonReference.List(s_p), 2, 3),
        Define("D", "float64", PythonReference.List(s_d), 2, 3),
        Define("I", "int64", PythonReference.List(s_i), 2, 3),
        Define("J", "int32", PyList(s_j), 2, 3),
        Define("U", "uint8", PyList(s_u), 4),
        Define("M", "bool", PyList(s_m), 2, 3),
        Define("R", "float32", PythonReference.List(s_r), 6),
        Define("X", "float32", PythonReference.List(s_x), 2, 3, 4),
        Define("W", "float32", PythonReference.List(s_w), 3, 4),
        Define("W2", "float32", PythonReference.List(s_w2), 4, 2));
}
