using System.Buffers.Binary;
using System.Text;
using MLRobust.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests.Serialization;

public class SafeTensorsRoundTripTests
{
    [Fact]
    public void SerializesToTheHandComputedBytes()
    {
        using var x = tensor(new[] { 1f, 2f });
        var bytes = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["x"] = x });

        const string json = """{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        Assert.Equal(54, json.Length);
        var expected = new List<byte>();
        expected.AddRange(new byte[] { 56, 0, 0, 0, 0, 0, 0, 0 });          // 54 padded to 56
        expected.AddRange(Encoding.ASCII.GetBytes(json + "  "));
        expected.AddRange(new byte[] { 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40 }); // 1.0f, 2.0f
        Assert.Equal(expected.ToArray(), bytes);
    }

    [Fact]
    public void EmptyDictionaryGivesTheSmallestFile()
    {
        var bytes = SafeTensors.Serialize(new Dictionary<string, Tensor>());
        Assert.Equal(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 }, bytes);
        using var file = SafeTensors.Read(bytes);
        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void MetadataIsWrittenFirstAndSorted()
    {
        using var b = tensor(new byte[] { 9 });
        var bytes = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["b"] = b }, new Dictionary<string, string> { ["z"] = "1", ["a"] = "2" });
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal("""{"__metadata__":{"a":"2","z":"1"},"b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""", Encoding.UTF8.GetString(bytes, 8, n).TrimEnd(' '));
        Assert.Equal(9, bytes[^1]);
    }

    [Fact]
    public void RoundTripKeepsValuesShapesDtypesAndMetadata()
    {
        var f = new[] { 1.5f, -2f, 3.25f, 0f, 7f, -0.5f };
        var l = new[] { long.MaxValue, -3L };
        byte[] bytes;
        using (var a = tensor(f, new long[] { 2, 3 }))
        using (var at = a.t())
        using (var b = tensor(l))
        using (var m = tensor(new[] { true, false }))
        using (var s = tensor(2.0))
            bytes = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["a"] = at, ["b"] = b, ["m"] = m, ["s"] = s }, new Dictionary<string, string> { ["epoch"] = "3" });

        using var file = SafeTensors.Read(bytes);
        Assert.Equal(new[] { "a", "b", "m", "s" }, file.Tensors.Keys);
        Assert.Equal("3", file.Metadata["epoch"]);
        var a2 = file.Tensors["a"];
        Assert.Equal(new long[] { 3, 2 }, a2.shape);
        Assert.True(a2.is_contiguous());
        Assert.Equal(new[] { 1.5f, 0f, -2f, 7f, 3.25f, -0.5f }, a2.data<float>().ToArray());
        Assert.Equal(l, file.Tensors["b"].data<long>().ToArray());
        Assert.Equal(new[] { true, false }, file.Tensors["m"].data<bool>().ToArray());
        Assert.Empty(file.Tensors["s"].shape);
        Assert.Equal(ScalarType.Float64, file.Tensors["s"].dtype);
        Assert.Equal(2.0, file.Tensors["s"].ToDouble());
        Assert.False(a2.requires_grad);
    }

    [Fact]
    public void StreamsWorkAtAnyPositionAndWithoutSeeking()
    {
        using var x = tensor(new[] { 4, 5, 6 });
        using var memory = new MemoryStream();
        memory.Write("prefix"u8);
        SafeTensors.Save(new Dictionary<string, Tensor> { ["x"] = x }, memory);
        var end = memory.Position;

        memory.Position = 6;
        var loaded = SafeTensors.Load(memory);
        Assert.Equal(end, memory.Position);
        Assert.Equal(new[] { 4, 5, 6 }, loaded["x"].data<int>().ToArray());
        loaded["x"].Dispose();

        var fileBytes = memory.ToArray()[6..];
        using var nonSeekable = new ForwardOnlyStream(fileBytes);
        using var file = SafeTensors.Read(nonSeekable);
        Assert.Equal(new[] { 4, 5, 6 }, file.Tensors["x"].data<int>().ToArray());
        Assert.Equal(new long[] { 3 }, SafeTensors.ReadHeader(new ForwardOnlyStream(fileBytes)).Tensors[0].Shape);
    }

    [Fact]
    public void SaveToPathIsAtomicAndLeavesNoTemporaryFiles()
    {
        var dir = Directory.CreateTempSubdirectory("mlr-st-");
        try
        {
            var path = Path.Combine(dir.FullName, "model.safetensors");
            File.WriteAllText(path, "an older file");
            using var w = tensor(new[] { 0.25, 0.5 });
            SafeTensors.Save(new Dictionary<string, Tensor> { ["w"] = w }, path);
            Assert.Equal(new[] { 0.25, 0.5 }, SafeTensors.Load(path)["w"].data<double>().ToArray());
            Assert.Equal(new[] { "model.safetensors" }, dir.GetFiles().Select(f => f.Name));

            // A failing save (a tensor safetensors cannot hold) leaves the previous file as it was.
            var before = File.ReadAllBytes(path);
            using var complex = w.to(ScalarType.ComplexFloat32);
            var e = Assert.Throws<ArgumentException>(() => SafeTensors.Save(new Dictionary<string, Tensor> { ["a"] = w, ["c"] = complex }, path));
            Assert.Contains("'c'", e.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(new[] { "model.safetensors" }, dir.GetFiles().Select(f => f.Name));

            Assert.Throws<DirectoryNotFoundException>(() => SafeTensors.Save(new Dictionary<string, Tensor> { ["w"] = w }, Path.Combine(dir.FullName, "missing", "m.safetensors")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void TensorsLargerThanOneCopyChunkRoundTrip()
    {
        // 66 MiB: more than the 64 MiB chunk the reader and writer copy at a time.
        using var scope = NewDisposeScope();
        const long n = 66L << 20;
        var big = arange(251, ScalarType.Byte).repeat(n / 251 + 1).narrow(0, 0, n);
        var small = tensor(new[] { 1.5, 2.5 });
        var path = Path.Combine(Path.GetTempPath(), $"mlr-big-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafeTensors.Save(new Dictionary<string, Tensor> { ["big"] = big, ["small"] = small }, path);
            var loaded = SafeTensors.Load(path);
            Assert.Equal(big.shape, loaded["big"].shape);
            Assert.True(loaded["big"].equal(big).all().ToBoolean());
            Assert.Equal(new[] { 1.5, 2.5 }, loaded["small"].data<double>().ToArray());
            // The last chunk's bytes, checked by hand: element k holds k mod 251.
            var tail = loaded["big"].narrow(0, n - 3, 3).data<byte>().ToArray();
            Assert.Equal(Enumerable.Range(0, 3).Select(k => (byte)((n - 3 + k) % 251)), tail);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReservedNameAndNullTensorAreRejected()
    {
        using var w = ones(1);
        var reserved = Assert.Throws<ArgumentException>(() => SafeTensors.Serialize(new Dictionary<string, Tensor> { ["__metadata__"] = w }));
        Assert.Contains("__metadata__", reserved.Message);
        var nullTensor = Assert.Throws<ArgumentNullException>(() => SafeTensors.Serialize(new Dictionary<string, Tensor> { ["w"] = null! }));
        Assert.Contains("'w'", nullTensor.Message);
    }

    [Fact]
    public void ReadHeaderDescribesTensorsWithoutLoadingThem()
    {
        using var a = zeros(new long[] { 2, 3 }, ScalarType.Float16);
        using var b = zeros(new long[] { 5 }, ScalarType.Int64);
        var header = SafeTensors.ReadHeader(SafeTensors.Serialize(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b }));
        Assert.Equal(new[] { "a", "b" }, header.Tensors.Select(t => t.Name));
        var ha = header.Tensors[0];
        Assert.Equal(("F16", ScalarType.Float16, 12L), (ha.DType, ha.ScalarType, ha.ByteLength));
        Assert.Equal(new long[] { 2, 3 }, ha.Shape);
        // The 8-byte tensor comes first in the data, so the 2-byte one stays aligned after it.
        Assert.Equal((0L, 40L), (header.Tensors[1].DataBegin, header.Tensors[1].DataEnd));
        Assert.Equal((40L, 52L), (ha.DataBegin, ha.DataEnd));
        Assert.Equal(52, header.DataLength);
    }

    [Fact]
    public void LoadedTensorsJoinTheCurrentDisposeScope()
    {
        using var x = ones(3);
        var bytes = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["x"] = x });
        Tensor loaded;
        using (NewDisposeScope())
        {
            loaded = SafeTensors.Read(bytes).Tensors["x"];
            Assert.False(loaded.IsInvalid);
        }
        Assert.True(loaded.IsInvalid);
    }

    /// <summary>A read-only stream that cannot seek or report its length (a network or pipe stream).</summary>
    internal sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data, writable: false);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 5));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
