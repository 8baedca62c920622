using System.Buffers.Binary;
using System.Text;
using MLRobust.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Tests.Serialization;

/// <summary>Hostile and broken files: each must give a <see cref="SafeTensorsFormatException"/>
/// whose message names the problem (and the tensor), never an OutOfMemoryException, another
/// exception type or a crash.</summary>
public class SafeTensorsTamperTests
{
    private static byte[] File(string header, int dataLength, ulong? declaredLength = null)
        => File(Encoding.UTF8.GetBytes(header), new byte[dataLength], declaredLength);

    private static byte[] File(byte[] header, byte[] data, ulong? declaredLength = null)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private static SafeTensorsFormatException Rejects(byte[] bytes, params string[] fragments)
    {
        var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(bytes));
        foreach (var f in fragments) Assert.Contains(f, e.Message);
        // The header-only reader agrees.
        Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadHeader(bytes));
        return e;
    }

    [Fact]
    public void TooShortForTheLengthPrefix() => Rejects(new byte[5], "5 bytes", "8-byte header length");

    [Fact]
    public void HeaderLengthTooSmall() => Rejects(File("{", 0), "header length 1 is too small");

    [Fact]
    public void HeaderLengthBeyondTheFile() => Rejects(File("{}", 0, declaredLength: 1000), "header length 1000 exceeds the 2 bytes");

    [Fact]
    public void HeaderLengthOverTheLimitIsRefusedBeforeAllocating()
    {
        Rejects(File("{}", 0, declaredLength: 200_000_000), "exceeds the 100000000-byte limit");
        Rejects(File("{}", 0, declaredLength: ulong.MaxValue), "exceeds the 100000000-byte limit");
    }

    [Fact]
    public void TruncatedFileIsReported()
    {
        using var x = ones(4);
        var bytes = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["x"] = x });
        Rejects(bytes[..^3], "tensor 'x'", "reach past the end of the data section, which holds 13 bytes");
        Rejects(bytes[..20], "exceeds the 12 bytes that follow it");
    }

    [Fact]
    public void BadJson() => Rejects(File("""{"x": {"dtype": "F32",  """, 0), "not valid JSON");

    [Fact]
    public void HeaderThatDoesNotStartWithABrace() => Rejects(File("  {}", 0), "must start with '{'", "0x20");

    [Fact]
    public void JsonThatIsNotAnObject() => Rejects(File("{} []", 0), "not valid JSON");

    [Fact]
    public void ZipFileIsNotMistakenForSafetensors() => Rejects("PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000"u8.ToArray(), "header length", "exceeds");

    [Fact]
    public void InvalidUtf8() => Rejects(File(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' }, Array.Empty<byte>()), "not valid UTF-8");

    [Fact]
    public void DeeplyNestedJson() => Rejects(File("{\"x\":" + new string('[', 200) + new string(']', 200) + "}", 0), "not valid JSON");

    [Fact]
    public void UnknownDtype() => Rejects(File("""{"w":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}""", 4), "tensor 'w'", "unknown dtype 'F31'", "F64, F32");

    [Fact]
    public void DtypeThatTorchSharpLacks() => Rejects(File("""{"w":{"dtype":"U16","shape":[2],"data_offsets":[0,4]}}""", 4), "tensor 'w'", "'U16' is valid safetensors but TorchSharp");

    [Fact]
    public void DtypeThatIsNotAString() => Rejects(File("""{"w":{"dtype":5,"shape":[1],"data_offsets":[0,4]}}""", 4), "tensor 'w'", "dtype must be a string");

    [Fact]
    public void OffsetsOutOfRange() => Rejects(File("""{"w":{"dtype":"F32","shape":[25],"data_offsets":[0,100]}}""", 8), "tensor 'w'", "[0, 100] reach past the end", "holds 8 bytes");

    [Fact]
    public void OffsetsReversed() => Rejects(File("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}""", 8), "tensor 'w'", "end before they begin");

    [Fact]
    public void OverlappingOffsets()
        => Rejects(File("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12),
            "tensor 'b'", "overlap those of tensor 'a'");

    [Fact]
    public void GapBetweenTensors()
        => Rejects(File("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12),
            "tensor 'b'", "bytes [4, 8)", "unused");

    [Fact]
    public void TrailingBytesAfterTheLastTensor()
        => Rejects(File("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 12), "holds 12 bytes", "cover only the first 8");

    [Fact]
    public void ShapeAndSizeDisagree()
        => Rejects(File("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8), "tensor 'w'", "shape [3] of dtype F32 needs 12 bytes", "span 8");

    [Fact]
    public void NegativeDimension() => Rejects(File("""{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", 0), "tensor 'w'", "shape[0] must be a non-negative", "-1");

    [Fact]
    public void FractionalDimension() => Rejects(File("""{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,6]}}""", 6), "tensor 'w'", "shape[0]", "1.5");

    [Fact]
    public void ShapeWhoseSizeOverflows()
        => Rejects(File("""{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}""", 8), "tensor 'w'", "more elements than a tensor can address");

    [Fact]
    public void HugeShapeWithMatchingOffsetsDoesNotAllocate()
        => Rejects(File("""{"w":{"dtype":"F32","shape":[1000000000,4],"data_offsets":[0,16000000000]}}""", 16), "tensor 'w'", "reach past the end");

    [Fact]
    public void TooManyDimensions()
        => Rejects(File("{\"w\":{\"dtype\":\"U8\",\"shape\":[" + string.Join(",", Enumerable.Repeat(1, 65)) + "],\"data_offsets\":[0,1]}}", 1), "tensor 'w'", "65 dimensions");

    [Fact]
    public void DuplicateTensorNames()
        => Rejects(File("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", 2), "tensor 'a' appears twice");

    [Fact]
    public void DuplicateFieldInAnEntry()
        => Rejects(File("""{"a":{"dtype":"U8","dtype":"I8","shape":[1],"data_offsets":[0,1]}}""", 1), "tensor 'a'", "field 'dtype' appears twice");

    [Fact]
    public void MissingField() => Rejects(File("""{"a":{"dtype":"U8","shape":[1]}}""", 1), "tensor 'a'", "data_offsets field is missing");

    [Fact]
    public void UnexpectedField() => Rejects(File("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"crc":7}}""", 1), "tensor 'a'", "unexpected field 'crc'");

    [Fact]
    public void OffsetsWithThreeNumbers() => Rejects(File("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,2]}}""", 1), "tensor 'a'", "exactly two integers");

    [Fact]
    public void EntryThatIsNotAnObject() => Rejects(File("""{"a":[1,2,3]}""", 0), "tensor 'a'", "must be an object");

    [Fact]
    public void MetadataWithANonStringValue() => Rejects(File("""{"__metadata__":{"epoch":3}}""", 0), "__metadata__ entry 'epoch' must be a string", "number");

    [Fact]
    public void MetadataThatIsNotAnObject() => Rejects(File("""{"__metadata__":"x"}""", 0), "__metadata__ must be an object");

    [Fact]
    public void PathMessagesNameTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mlr-bad-{Guid.NewGuid():N}.safetensors");
        System.IO.File.WriteAllBytes(path, File("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8));
        try
        {
            var e = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));
            Assert.Contains(path, e.Message);
            Assert.Contains("tensor 'w'", e.Message);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    /// <summary>Every truncation of a valid file is invalid (the tensors must cover the data section
    /// exactly); random byte corruption either still parses or is reported, never anything else.</summary>
    [Fact]
    public void TruncationsAndRandomCorruptionNeverEscapeAsOtherExceptions()
    {
        byte[] valid;
        using (var a = tensor(new[] { 1f, 2f, 3f }))
        using (var b = tensor(new long[] { 7, 8 }, new long[] { 2, 1 }))
        using (var c = tensor(new[] { true }))
            valid = SafeTensors.Serialize(new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b, ["c"] = c }, new Dictionary<string, string> { ["k"] = "v" });

        for (var length = 0; length < valid.Length; length++)
            Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Read(valid[..length]));

        var random = new Random(1234);
        int parsed = 0, rejected = 0;
        for (var trial = 0; trial < 3000; trial++)
        {
            var corrupt = (byte[])valid.Clone();
            var flips = 1 + random.Next(3);
            for (var k = 0; k < flips; k++) corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
            try
            {
                using (NewDisposeScope()) SafeTensors.Read(corrupt);
                parsed++;
            }
            catch (SafeTensorsFormatException)
            {
                rejected++;
            }
        }
        Assert.True(rejected > 1000 && parsed > 20, $"parsed {parsed}, rejected {rejected}");
    }
}
