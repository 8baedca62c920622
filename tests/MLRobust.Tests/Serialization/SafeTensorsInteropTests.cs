using MLRobust.TestSupport;
using System.Text.Json;
using MLRobust.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests.Serialization;

/// <summary>Files written here are read by an independent safetensors parser in Python (struct +
/// json + torch.frombuffer, as the pip package is absent), and files that Python writes are read
/// here. Values are compared bit for bit (floats as their IEEE bit patterns).</summary>
public class SafeTensorsInteropTests
{
    // Python's view of a file: header length, key order, metadata, and each tensor's dtype, shape,
    // offsets and element bits (floating types viewed as same-width integers).
    private const string PythonReader = """
import json, struct, sys, torch
DT = {'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16,
      'I64': torch.int64, 'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8, 'U8': torch.uint8, 'BOOL': torch.bool}
AS_INT = {torch.float64: torch.int64, torch.float32: torch.int32, torch.float16: torch.int16, torch.bfloat16: torch.int16}
def bits(t):
    t = t.reshape(-1)
    if t.dtype in AS_INT: t = t.view(AS_INT[t.dtype])
    return [int(x) for x in t.tolist()]
def describe(path):
    b = open(path, 'rb').read()
    n = struct.unpack('<Q', b[:8])[0]
    raw = b[8:8 + n]
    h = json.loads(raw.decode('utf-8'))
    data = b[8 + n:]
    out = {'header_length': n, 'file_length': len(b), 'header_first': raw[:1].decode(), 'header_tail': raw.decode('utf-8')[len(raw.decode('utf-8').rstrip(' ')):],
           'keys': list(h.keys()), 'metadata': h.get('__metadata__'), 'tensors': {}}
    for k, v in h.items():
        if k == '__metadata__': continue
        s, e = v['data_offsets']
        dt = DT[v['dtype']]
        t = torch.frombuffer(bytearray(data[s:e]), dtype=dt) if e > s else torch.empty(0, dtype=dt)
        t = t.reshape(v['shape'])
        out['tensors'][k] = {'dtype': v['dtype'], 'shape': list(t.shape), 'offsets': [s, e], 'bits': bits(t)}
    return out
""";

    private sealed record Expected(string Code, long[] Shape, long[] Bits);

    [Fact]
    public void FileWrittenHereReadsInPythonForEveryDtype()
    {
        var dir = Directory.CreateTempSubdirectory("mlr-st-");
        try
        {
            var path = Path.Combine(dir.FullName, "all.safetensors");
            var expected = new Dictionary<string, Expected>();
            var tensors = new Dictionary<string, Tensor>();
            using (NewDisposeScope())
            {
                var f64 = new[] { 0.0, -0.0, 1.5, -2.25e-300, double.MaxValue, double.Epsilon, double.NaN, double.PositiveInfinity, double.NegativeInfinity, Math.PI };
                tensors["f64"] = tensor(f64, new long[] { 2, 5 });
                expected["f64"] = new("F64", new long[] { 2, 5 }, f64.Select(BitConverter.DoubleToInt64Bits).ToArray());

                // Stored as a 4x3 matrix and written as its transpose: a non-contiguous view.
                var f32 = new[] { 0f, -0f, 1.25f, -3.5e-38f, float.MaxValue, float.Epsilon, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e-7f, 123456.78f, -1f };
                tensors["layer.0.weight"] = tensor(f32, new long[] { 4, 3 }).t();
                var transposed = new long[12];
                for (var r = 0; r < 3; r++)
                    for (var c = 0; c < 4; c++)
                        transposed[r * 4 + c] = BitConverter.SingleToInt32Bits(f32[c * 3 + r]);
                expected["layer.0.weight"] = new("F32", new long[] { 3, 4 }, transposed);

                var f16 = new[] { (Half)0.5, (Half)(-1.5), Half.MaxValue, Half.Epsilon, Half.NegativeInfinity, (Half)0.0999755859375 };
                tensors["f16"] = tensor(f16, new long[] { 6 });
                expected["f16"] = new("F16", new long[] { 6 }, f16.Select(h => (long)BitConverter.HalfToInt16Bits(h)).ToArray());

                // bfloat16 is the top half of a float32: values whose low 16 bits are zero convert exactly.
                var bf16Bits = new short[] { 0x3F80, unchecked((short)0xC020), 0x3E20, 0x7F7F, 0x0001, unchecked((short)0xFF80) };
                var asFloats = bf16Bits.Select(b => BitConverter.Int32BitsToSingle(b << 16)).ToArray();
                using (var source = tensor(asFloats, new long[] { 2, 3 })) tensors["bf16"] = source.to(ScalarType.BFloat16);
                expected["bf16"] = new("BF16", new long[] { 2, 3 }, bf16Bits.Select(b => (long)b).ToArray());

                var i64 = new[] { long.MinValue, long.MaxValue, -1L, 0L, 42L };
                tensors["i64"] = tensor(i64, new long[] { 5, 1 });
                expected["i64"] = new("I64", new long[] { 5, 1 }, i64);

                var i32 = new[] { int.MinValue, int.MaxValue, -7, 0 };
                tensors["i32"] = tensor(i32, new long[] { 2, 2 });
                expected["i32"] = new("I32", new long[] { 2, 2 }, i32.Select(v => (long)v).ToArray());

                var i16 = new short[] { short.MinValue, short.MaxValue, -3 };
                tensors["i16"] = tensor(i16, new long[] { 3 });
                expected["i16"] = new("I16", new long[] { 3 }, i16.Select(v => (long)v).ToArray());

                var i8 = new sbyte[] { sbyte.MinValue, sbyte.MaxValue, -1, 5, 0 };
                tensors["i8"] = tensor(i8, new long[] { 5 });
                expected["i8"] = new("I8", new long[] { 5 }, i8.Select(v => (long)v).ToArray());

                var u8 = new byte[] { 0, 1, 128, 255, 7 };
                tensors["gewicht/ä"] = tensor(u8, new long[] { 5 });
                expected["gewicht/ä"] = new("U8", new long[] { 5 }, u8.Select(v => (long)v).ToArray());

                var flags = new[] { true, false, true };
                tensors["mask"] = tensor(flags, new long[] { 3 });
                expected["mask"] = new("BOOL", new long[] { 3 }, flags.Select(v => v ? 1L : 0L).ToArray());

                tensors["scalar"] = tensor(3.25f);
                expected["scalar"] = new("F32", Array.Empty<long>(), new long[] { BitConverter.SingleToInt32Bits(3.25f) });

                tensors["empty"] = zeros(new long[] { 0, 3 }, ScalarType.Int32);
                expected["empty"] = new("I32", new long[] { 0, 3 }, Array.Empty<long>());

                // A contiguous view with a storage offset, and a non-leaf tensor that requires grad.
                using (var range = arange(10, ScalarType.Float64)) tensors["narrowed"] = range.narrow(0, 3, 4);
                expected["narrowed"] = new("F64", new long[] { 4 }, new[] { 3.0, 4, 5, 6 }.Select(BitConverter.DoubleToInt64Bits).ToArray());
                using (var w = tensor(new[] { 1f, -2f }, requires_grad: true)) tensors["grad.out"] = w * 2;
                expected["grad.out"] = new("F32", new long[] { 2 }, new[] { 2f, -4f }.Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray());

                SafeTensors.Save(tensors, path, new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"" });
            }

            using var doc = JsonDocument.Parse(PythonReference.Run(PythonReader + $"\nprint(json.dumps(describe({PyString(path)})))"));
            var root = doc.RootElement;
            var headerLength = root.GetProperty("header_length").GetInt64();
            Assert.Equal(0, headerLength % 8);
            Assert.Equal("{", root.GetProperty("header_first").GetString());
            Assert.Matches("^ {0,7}$", root.GetProperty("header_tail").GetString()!);

            // __metadata__ first, then names in ordinal order.
            var keys = root.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToArray();
            Assert.Equal("__metadata__", keys[0]);
            Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), keys.Skip(1));
            var metadata = root.GetProperty("metadata");
            Assert.Equal("pt", metadata.GetProperty("format").GetString());
            Assert.Equal("ünïcode \"quoted\"", metadata.GetProperty("note").GetString());

            long covered = 0;
            var written = root.GetProperty("tensors");
            foreach (var (name, e) in expected)
            {
                var t = written.GetProperty(name);
                Assert.Equal(e.Code, t.GetProperty("dtype").GetString());
                Assert.Equal(e.Shape, t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()));
                Assert.Equal(e.Bits, t.GetProperty("bits").EnumerateArray().Select(v => v.GetInt64()));
                var offsets = t.GetProperty("offsets").EnumerateArray().Select(v => v.GetInt64()).ToArray();
                var elementSize = e.Code switch { "F64" or "I64" => 8, "F32" or "I32" => 4, "F16" or "BF16" or "I16" => 2, _ => 1 };
                Assert.True(offsets[0] % elementSize == 0, $"{name} starts at {offsets[0]}, not aligned to {elementSize} bytes");
                covered += offsets[1] - offsets[0];
            }
            Assert.Equal(root.GetProperty("file_length").GetInt64(), 8 + headerLength + covered);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void FileWrittenByPythonReadsHere()
    {
        var dir = Directory.CreateTempSubdirectory("mlr-st-");
        try
        {
            var path = Path.Combine(dir.FullName, "from_python.safetensors");
            // Insertion order (not sorted, not aligned: the odd-sized u8 comes first), default json.dumps
            // separators with spaces, and no header padding: all valid, and all different from our writer.
            var script = PythonReader + $$$"""

torch.manual_seed(0)
items = [
    ('u8.odd', torch.tensor([1, 2, 255], dtype=torch.uint8)),
    ('z.f32', torch.randn(3, 4)),
    ('a.f64', torch.randn(5, dtype=torch.float64)),
    ('f16', torch.randn(2, 3).half()),
    ('bf16', torch.randn(4).bfloat16()),
    ('i64', torch.tensor([-2**63, 2**63 - 1, 0, -5])),
    ('i32', torch.randint(-1000, 1000, (2, 2), dtype=torch.int32)),
    ('i16', torch.tensor([-32768, 32767, 3], dtype=torch.int16)),
    ('i8', torch.tensor([-128, 127, 0], dtype=torch.int8)),
    ('flags', torch.tensor([True, False, False, True])),
    ('scalar', torch.tensor(2.5)),
    ('empty', torch.zeros(0, 4, dtype=torch.int32)),
    ('special', torch.tensor([float('nan'), float('inf'), -float('inf'), -0.0])),
    ('permuted', torch.arange(24, dtype=torch.float32).reshape(2, 3, 4).permute(2, 0, 1)),
]
code = {v: k for k, v in DT.items()}
header = {'__metadata__': {'source': 'python', 'empty': ''}}
blobs = []
offset = 0
for name, t in items:
    b = t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
    header[name] = {'dtype': code[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
    offset += len(b)
    blobs.append(b)
h = json.dumps(header).encode('utf-8')
with open({{{PyString(path)}}}, 'wb') as f:
    f.write(struct.pack('<Q', len(h)))
    f.write(h)
    for b in blobs: f.write(b)
print(json.dumps(describe({{{PyString(path)}}})))
""";
            using var doc = JsonDocument.Parse(PythonReference.Run(script));
            var reference = doc.RootElement.GetProperty("tensors");

            using var file = SafeTensors.Read(path);
            Assert.Equal(new Dictionary<string, string> { ["source"] = "python", ["empty"] = "" }, file.Metadata);
            Assert.Equal(reference.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal), file.Tensors.Keys);
            foreach (var p in reference.EnumerateObject())
            {
                var t = file.Tensors[p.Name];
                Assert.Equal(ScalarTypeOf(p.Value.GetProperty("dtype").GetString()!), t.dtype);
                Assert.Equal(p.Value.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()), t.shape);
                Assert.Equal(p.Value.GetProperty("bits").EnumerateArray().Select(v => v.GetInt64()), Bits(t));
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Element bit patterns of a tensor, each read through the .NET type of its dtype.</summary>
    internal static long[] Bits(Tensor t) => t.dtype switch
    {
        ScalarType.Float64 => t.data<double>().Select(BitConverter.DoubleToInt64Bits).ToArray(),
        ScalarType.Float32 => t.data<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray(),
        ScalarType.Float16 => t.data<Half>().Select(v => (long)BitConverter.HalfToInt16Bits(v)).ToArray(),
        // bfloat16 widens to float32 exactly (a 16-bit shift), so the float's top half is the value.
        ScalarType.BFloat16 => Widened(t),
        ScalarType.Int64 => t.data<long>().ToArray(),
        ScalarType.Int32 => t.data<int>().Select(v => (long)v).ToArray(),
        ScalarType.Int16 => t.data<short>().Select(v => (long)v).ToArray(),
        ScalarType.Int8 => t.data<sbyte>().Select(v => (long)v).ToArray(),
        ScalarType.Byte => t.data<byte>().Select(v => (long)v).ToArray(),
        ScalarType.Bool => t.data<bool>().Select(v => v ? 1L : 0L).ToArray(),
        var other => throw new NotSupportedException(other.ToString()),
    };

    private static long[] Widened(Tensor t)
    {
        using var f = t.to(ScalarType.Float32);
        return f.data<float>().Select(v => (long)(short)(BitConverter.SingleToInt32Bits(v) >> 16)).ToArray();
    }

    internal static ScalarType ScalarTypeOf(string code) => code switch
    {
        "F64" => ScalarType.Float64, "F32" => ScalarType.Float32, "F16" => ScalarType.Float16, "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64, "I32" => ScalarType.Int32, "I16" => ScalarType.Int16, "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte, "BOOL" => ScalarType.Bool,
        _ => throw new ArgumentException(code),
    };

    internal static string PyString(string s) => JsonSerializer.Serialize(s);
}
