using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests;

/// <summary>Shared helpers of the attack, augmentation and metric tests: /usr/bin/python3 (torch, numpy,
/// skimage) for independent references, tensors exchanged through safetensors files (Python side: a
/// struct + json reader and writer, as the pip package is absent), small fixed-weight models and data.</summary>
internal static class AttackTestSupport
{
    internal const string Interpreter = "/usr/bin/python3";

    /// <summary>Python prelude: load(path) / save(path, dict) for safetensors, torch single-threaded.</summary>
    internal const string Prelude = """
import json, struct, math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.set_num_threads(1)
_DT = {'F64': torch.float64, 'F32': torch.float32, 'I64': torch.int64, 'I32': torch.int32, 'U8': torch.uint8, 'BOOL': torch.bool}
_NAME = {v: k for k, v in _DT.items()}
def load(path):
    b = open(path, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    h = json.loads(b[8:8 + n].decode('utf-8'))
    data = b[8 + n:]
    out = {}
    for k, v in h.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']
        t = torch.frombuffer(bytearray(data[s:e]), dtype=_DT[v['dtype']]) if e > s else torch.empty(0, dtype=_DT[v['dtype']])
        out[k] = t.reshape(v['shape']).clone()
    return out
def save(path, tensors):
    header, blobs, offset = {}, [], 0
    for k, t in tensors.items():
        t = t.detach().contiguous().cpu()
        raw = t.numpy().tobytes()
        header[k] = {'dtype': _NAME[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    hb = json.dumps(header).encode('utf-8')
    hb += b' ' * ((8 - len(hb) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(hb)))
        f.write(hb)
        for r in blobs: f.write(r)
""";

    internal static string Run(string script, int timeoutMs = 120_000)
    {
        if (!File.Exists(Interpreter))
            throw new InvalidOperationException($"{Interpreter} is missing: install python3-torch, python3-numpy and python3-skimage (./build.sh does) to run the reference tests.");
        var psi = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-");
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start python3");
        process.StandardInput.Write(Prelude + "\n" + script);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the python reference script timed out");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"python reference script failed ({process.ExitCode}):\n{stderr.Result}");
        return stdout.Result;
    }

    internal static string Py(string path) => "'" + path.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    internal static string Py(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A temporary folder, deleted on dispose.</summary>
    internal sealed class TempDir : IDisposable
    {
        internal TempDir() => Path = Directory.CreateTempSubdirectory("mlr-attack-").FullName;
        internal string Path { get; }
        internal string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose()
        {
            try { Directory.Delete(Path, true); } catch (IOException) { }
        }
    }

    /// <summary>Uniform values in [0, 1) from a fixed-seed generator (independent of libtorch's RNG).</summary>
    internal static float[] Uniform(int count, int seed, double low = 0, double high = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)(low + (high - low) * rng.NextDouble())).ToArray();
    }

    internal static Tensor Images(int n, int c, int h, int w, int seed, double low = 0, double high = 1) =>
        tensor(Uniform(n * c * h * w, seed, low, high), new long[] { n, c, h, w });

    /// <summary>The small CNN the PyTorch comparisons use; Python builds the same layers as <see cref="PythonSmallCnn"/>.</summary>
    internal static nn.Module<Tensor, Tensor> SmallCnn(int channels, int classes, int size, long seed)
    {
        manual_seed(seed);
        var pooled = (size - 2) / 2;
        return nn.Sequential(
            ("conv", nn.Conv2d(channels, 6, 3)),
            ("relu", nn.ReLU()),
            ("pool", nn.MaxPool2d(2)),
            ("flat", nn.Flatten()),
            ("fc1", nn.Linear(6 * pooled * pooled, 16)),
            ("tanh", nn.Tanh()),
            ("fc2", nn.Linear(16, classes)));
    }

    internal static string PythonSmallCnn(int channels, int classes, int size)
    {
        var pooled = (size - 2) / 2;
        return $"""
from collections import OrderedDict
model = nn.Sequential(OrderedDict([('conv', nn.Conv2d({channels}, 6, 3)), ('relu', nn.ReLU()), ('pool', nn.MaxPool2d(2)),
    ('flat', nn.Flatten()), ('fc1', nn.Linear({6 * pooled * pooled}, 16)), ('tanh', nn.Tanh()), ('fc2', nn.Linear(16, {classes}))]))
""";
    }

    /// <summary>A sensitive toy classifier over flattened images: Linear(d, hidden) → tanh → Linear(hidden, classes),
    /// uniform weights from a managed generator scaled by <paramref name="gain"/>/√fan-in (logits spread over
    /// several units across the [0, 1] box, unlike a default-initialised network).</summary>
    internal static nn.Module<Tensor, Tensor> Mlp(int inputs, int hidden, int classes, int seed, double gain = 4)
    {
        var rng = new Random(seed);
        float[] U(int count, double scale) => Enumerable.Range(0, count).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
        var l1 = nn.Linear(inputs, hidden);
        var l2 = nn.Linear(hidden, classes);
        using (no_grad())
        {
            using var w1 = tensor(U(inputs * hidden, gain / Math.Sqrt(inputs)), new long[] { hidden, inputs });
            using var b1 = tensor(U(hidden, 0.5));
            using var w2 = tensor(U(hidden * classes, gain / Math.Sqrt(hidden)), new long[] { classes, hidden });
            using var b2 = tensor(U(classes, 0.5));
            l1.weight.copy_(w1);
            l1.bias!.copy_(b1);
            l2.weight.copy_(w2);
            l2.bias!.copy_(b2);
        }
        return nn.Sequential(("flat", nn.Flatten()), ("fc1", l1), ("tanh", nn.Tanh()), ("fc2", l2));
    }

    /// <summary>A linear classifier over flattened images with the given weights [K, D] and biases [K].</summary>
    internal static nn.Module<Tensor, Tensor> Linear(float[,] weights, float[] bias)
    {
        var k = weights.GetLength(0);
        var d = weights.GetLength(1);
        var linear = nn.Linear(d, k);
        using (no_grad())
        {
            using var w = tensor(weights);
            using var b = tensor(bias);
            linear.weight!.copy_(w);
            linear.bias!.copy_(b);
        }
        return nn.Sequential(("flat", nn.Flatten()), ("fc", linear));
    }

    internal static void Close(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        var at = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = Math.Abs(expected[i] - actual[i]);
            if (d > worst)
            {
                worst = d;
                at = i;
            }
        }
        Assert.True(worst <= tolerance, $"{what}: largest difference {worst} at {at} (expected {(at >= 0 ? expected[at] : 0)}, got {(at >= 0 ? actual[at] : 0)})");
    }
}
