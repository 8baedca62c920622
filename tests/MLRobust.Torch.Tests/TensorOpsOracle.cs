using System.Globalization;
using System.Text;
using System.Text.Json;
using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Tests;

/// <summary>One operation checked against PyTorch: a Python snippet (statements separated by ';',
/// the last one an expression giving a tensor or a tuple of tensors) and the C# code that should
/// give the same dtype, shape and values.</summary>
internal sealed record OpCase(string Name, string Python, Func<Tensor[]> Run, double Rtol = 1e-5, double Atol = 1e-6)
{
    public override string ToString() => Name;
}

/// <summary>What PyTorch computed for one result tensor.</summary>
internal sealed record ReferenceTensor(ScalarType Dtype, long[] Shape, string[] Values);

/// <summary>Evaluates many <see cref="OpCase"/>s in one Python process (starting Python and
/// importing torch costs about a second) and compares the C# results with them.</summary>
internal static class TensorOpsOracle
{
    private const string Encoder = """
import json, math, torch
def _enc(r):
    if isinstance(r, (tuple, list)):
        return [x for y in r for x in _enc(y)]
    t = r.detach().cpu() if isinstance(r, torch.Tensor) else torch.tensor(r)
    vals = [repr(float(v)) if t.is_floating_point() else str(int(v)) for v in t.reshape(-1).tolist()]
    return [{'dtype': str(t.dtype).replace('torch.', ''), 'shape': list(t.shape), 'values': vals}]
_out = {}
""";

    /// <summary>Runs every case's Python after <paramref name="prelude"/> (which defines the inputs);
    /// a case whose Python fails maps to its error message instead of results.</summary>
    internal static Dictionary<string, (ReferenceTensor[]? Results, string? Error)> Evaluate(string prelude, IEnumerable<OpCase> cases)
    {
        var script = new StringBuilder(Encoder).AppendLine().AppendLine(prelude);
        var k = 0;
        foreach (var c in cases)
        {
            var statements = c.Python.Split(';').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
            script.AppendLine($"def _case{k}():");
            foreach (var s in statements[..^1]) script.AppendLine($"    {s}");
            script.AppendLine($"    return {statements[^1]}");
            script.AppendLine("try:");
            script.AppendLine($"    _out[{JsonSerializer.Serialize(c.Name)}] = _enc(_case{k}())");
            script.AppendLine("except Exception as e:");
            script.AppendLine($"    _out[{JsonSerializer.Serialize(c.Name)}] = {{'error': repr(e)}}");
            k++;
        }
        script.AppendLine("print(json.dumps(_out))");

        using var doc = JsonDocument.Parse(PythonReference.Run(script.ToString()));
        var result = new Dictionary<string, (ReferenceTensor[]?, string?)>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Object)
            {
                result[p.Name] = (null, p.Value.GetProperty("error").GetString());
                continue;
            }
            result[p.Name] = (p.Value.EnumerateArray().Select(t => new ReferenceTensor(
                DtypeOf(t.GetProperty("dtype").GetString()!),
                t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
                t.GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToArray())).ToArray(), null);
        }
        return result;
    }

    /// <summary>Runs the C# side of a case in a dispose scope and asserts it matches PyTorch.</summary>
    internal static void Check(OpCase c, IReadOnlyDictionary<string, (ReferenceTensor[]? Results, string? Error)> references)
    {
        var (expected, error) = references[c.Name];
        Assert.True(error is null, $"{c.Name}: the PyTorch reference failed: {error}");
        using var scope = NewDisposeScope();
        var actual = c.Run();
        Assert.True(expected!.Length == actual.Length, $"{c.Name}: PyTorch gives {expected.Length} results, C# {actual.Length}");
        for (var r = 0; r < actual.Length; r++)
        {
            var e = expected[r];
            var a = actual[r];
            var label = actual.Length == 1 ? c.Name : $"{c.Name}[{r}]";
            Assert.True(e.Dtype == a.dtype, $"{label} ({c.Python}): dtype {a.dtype}, PyTorch {e.Dtype}");
            Assert.True(e.Shape.SequenceEqual(a.shape), $"{label} ({c.Python}): shape [{string.Join(",", a.shape)}], PyTorch [{string.Join(",", e.Shape)}]");
            if (a.dtype.IsFloatingPoint())
            {
                using var d = a.to(ScalarType.Float64);
                var values = d.data<double>().ToArray();
                for (var i = 0; i < values.Length; i++)
                {
                    var want = ParseFloat(e.Values[i]);
                    var got = values[i];
                    var ok = double.IsNaN(want) ? double.IsNaN(got)
                        : double.IsInfinity(want) ? want == got
                        : Math.Abs(got - want) <= c.Atol + c.Rtol * Math.Abs(want);
                    Assert.True(ok, $"{label} ({c.Python}): element {i} is {got:R}, PyTorch {want:R}");
                }
            }
            else
            {
                using var l = a.to(ScalarType.Int64);
                var values = l.data<long>().ToArray();
                var want = e.Values.Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                Assert.True(want.SequenceEqual(values), $"{label} ({c.Python}): [{string.Join(",", values)}], PyTorch [{string.Join(",", want)}]");
            }
        }
    }

    private static double ParseFloat(string s) => s switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(s, CultureInfo.InvariantCulture),
    };

    private static ScalarType DtypeOf(string name) => name switch
    {
        "float32" => ScalarType.Float32, "float64" => ScalarType.Float64, "float16" => ScalarType.Float16, "bfloat16" => ScalarType.BFloat16,
        "int64" => ScalarType.Int64, "int32" => ScalarType.Int32, "int16" => ScalarType.Int16, "int8" => ScalarType.Int8,
        "uint8" => ScalarType.Byte, "bool" => ScalarType.Bool,
        _ => throw new NotSupportedException($"PyTorch dtype {name}"),
    };

    // ---- helpers for case tables ----

    internal static OpCase Case(string name, string python, Func<Tensor> run, double rtol = 1e-5, double atol = 1e-6)
        => new(name, python, () => new[] { run() }, rtol, atol);

    internal static OpCase Case2(string name, string python, Func<(Tensor, Tensor)> run, double rtol = 1e-5, double atol = 1e-6)
        => new(name, python, () => { var (a, b) = run(); return new[] { a, b }; }, rtol, atol);

    internal static OpCase CaseN(string name, string python, Func<Tensor[]> run, double rtol = 1e-5, double atol = 1e-6)
        => new(name, python, run, rtol, atol);

    /// <summary>A Python line defining <paramref name="name"/> as a tensor of the given values, dtype and shape.</summary>
    internal static string Define(string name, string pythonDtype, string values, params long[] shape)
        => $"{name} = torch.tensor({values}, dtype=torch.{pythonDtype}).reshape({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")})";

    internal static string PyList(IEnumerable<bool> values) => "[" + string.Join(",", values.Select(v => v ? "True" : "False")) + "]";
    internal static string PyList(IEnumerable<int> values) => PythonReference.List(values.Select(v => (long)v));
    internal static string PyList(IEnumerable<byte> values) => PythonReference.List(values.Select(v => (long)v));
}
