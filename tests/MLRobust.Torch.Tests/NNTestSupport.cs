using System.Globalization;
using System.Text;
using static MLRobust.Torch.torch;

namespace MLRobust.Torch.Tests;

/// <summary>Shared helpers of the nn/optim tests: deterministic input data, a PyTorch script
/// builder whose output lines are "name v1 v2 …", and tolerance assertions.</summary>
internal static class NNTestSupport
{
    /// <summary>Python prelude: torch, F, nn, and out(name, value) printing full-precision values.</summary>
    internal const string Prelude = @"
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
def out(name, v):
    if isinstance(v, torch.Tensor):
        vals = v.detach().double().flatten().tolist()
    elif isinstance(v, (list, tuple)):
        vals = [float(x) for x in v]
    else:
        vals = [float(v)]
    print(name, ' '.join(repr(x) for x in vals) if vals else '')
def T(vals, shape, dtype=torch.float32):
    return torch.tensor(vals, dtype=dtype).reshape(shape)
";

    /// <summary>Values in [-1, 1) from a fixed-seed generator (independent of libtorch's RNG).</summary>
    internal static float[] Data(int count, int seed)
    {
        var rng = new Random(seed);
        var values = new float[count];
        for (var k = 0; k < count; k++) values[k] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }

    internal static double[] DataD(int count, int seed)
    {
        var rng = new Random(seed);
        var values = new double[count];
        for (var k = 0; k < count; k++) values[k] = rng.NextDouble() * 2 - 1;
        return values;
    }

    internal static int Count(long[] shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return checked((int)n);
    }

    /// <summary>A float32 tensor of the given shape filled from <see cref="Data"/>, and the Python
    /// expression that builds the same tensor.</summary>
    internal static (Tensor tensor, string python) Input(long[] shape, int seed, float scale = 1)
    {
        var values = Data(Count(shape), seed).Select(v => v * scale).ToArray();
        return (tensor(values, shape), $"T({PythonReference.List(values)}, {Shape(shape)})");
    }

    internal static string Shape(long[] shape) => "[" + string.Join(",", shape) + "]";

    /// <summary>Runs a script (after the prelude) and returns its "name values…" lines by name.</summary>
    internal static Dictionary<string, double[]> RunNamed(string script)
    {
        var output = PythonReference.Run(Prelude + script);
        var result = new Dictionary<string, double[]>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            result[parts[0]] = parts.Skip(1).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        return result;
    }

    internal static double[] Values(Tensor t)
    {
        using var d = t.detach().to_type(ScalarType.Float64).contiguous();
        return d.data<double>().ToArray();
    }

    /// <summary>Asserts |expected - actual| ≤ atol + rtol·|expected| element by element, naming the
    /// case and the first failing index.</summary>
    internal static void AssertClose(double[] expected, double[] actual, double atol, double rtol = 0, string name = "")
    {
        Assert.True(expected.Length == actual.Length, $"{name}: expected {expected.Length} values, got {actual.Length}");
        for (var k = 0; k < expected.Length; k++)
        {
            var tolerance = atol + rtol * Math.Abs(expected[k]);
            if (!(Math.Abs(expected[k] - actual[k]) <= tolerance) && !(double.IsNaN(expected[k]) && double.IsNaN(actual[k])))
                Assert.Fail($"{name}: index {k}: expected {expected[k]:R}, got {actual[k]:R} (tolerance {tolerance:R})");
        }
    }

    internal static void AssertClose(double[] expected, Tensor actual, double atol, double rtol = 0, string name = "")
        => AssertClose(expected, Values(actual), atol, rtol, name);

    /// <summary>Builds a Python script line by line.</summary>
    internal sealed class Script
    {
        private readonly StringBuilder _text = new();
        public Script Line(string line)
        {
            _text.AppendLine(line);
            return this;
        }
        public override string ToString() => _text.ToString();
    }
}
