using System.Buffers.Binary;
using Microsoft.ML.Data;
using MLRobust.Rendering.Images;

namespace MLRobust.Rendering.Tests;

/// <summary>Image files through ImageAnalytics' MLImage: greyscale PNGs round-trip exactly and are written atomically; files
/// that are not images, or that declare a huge image in a small file, are refused with InvalidDataException before decoding.</summary>
public class ImageFilesTests
{
    [Fact]
    public void GreyPng_RoundTripsExactly_AndLeavesNoTemporaryFile()
    {
        using var temp = new TempFolder();
        var grey = Enumerable.Range(0, 7 * 5).Select(i => (byte)(i * 7)).ToArray();
        var path = temp["grey.png"];
        ImageFiles.SaveGreyPng(path, 7, 5, grey);
        using var image = ImageFiles.Read(path);
        Assert.Equal((7, 5), (image.Width, image.Height));
        Assert.Equal(grey, ImageFiles.Luma(image));
        Assert.Equal(new[] { "grey.png" }, Directory.GetFiles(temp.Path).Select(Path.GetFileName));
        // Luma of colour pixels is ITU-R 601 as PIL computes it.
        using var colour = MLImage.CreateFromPixels(1, 1, MLPixelFormat.Rgba32, new byte[] { 200, 100, 50, 255 });
        Assert.Equal((byte)((19595 * 200 + 38470 * 100 + 7471 * 50 + 32768) >> 16), ImageFiles.Luma(colour)[0]);
    }

    [Fact]
    public void NotAnImage_IsInvalidData_NamingTheFile()
    {
        using var temp = new TempFolder();
        var path = temp["notes.png"];
        File.WriteAllText(path, "not a picture");
        var error = Assert.Throws<InvalidDataException>(() => ImageFiles.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Throws<FileNotFoundException>(() => ImageFiles.Read(temp["missing.png"]));
    }

    [Fact]
    public void AHugeDeclaredImage_IsRefusedFromItsHeader()
    {
        using var temp = new TempFolder();
        var path = temp["bomb.png"];
        ImageFiles.SaveGreyPng(path, 4, 4, new byte[16]);
        var bytes = File.ReadAllBytes(path);
        // IHDR is the first chunk: length (4), "IHDR" (4), width, height, ..., then its CRC over type + data.
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), 100_000);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), Crc32(bytes.AsSpan(12, 17)));
        File.WriteAllBytes(path, bytes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => ImageFiles.Read(path));
        Assert.Contains("100000x100000", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "refused before decoding");
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
