using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MLRobust.Rendering.Gltf;
using MLRobust.Rendering.Raster;
using MLRobust.Rendering.Scenes;

namespace MLRobust.Rendering.Tests;

/// <summary>
/// Seeded mutations of valid files (truncation, flipped bytes, huge counts and offsets in the JSON
/// and in binary words): the reader may only ever answer with a model or a GltfException, quickly
/// and without runaway allocation; models it accepts must render.
/// </summary>
public class GltfFuzzTests
{
    private static readonly string[] Sources =
    [
        "BoxTextured-glTF-Binary/BoxTextured.glb",
        "BoxTextured-glTF-Embedded/BoxTextured.gltf",
        "glTF-Asset-Generator/Mesh_PrimitiveMode/Mesh_PrimitiveMode_13.gltf",
        "glTF-Asset-Generator/Mesh_PrimitiveMode/Mesh_PrimitiveMode_02.gltf",
        "glTF-Sample-Models/AnimatedMorphCube-glTF/AnimatedMorphCube.gltf",
        "simple_skin/simple_skin.gltf",
        "cameras/Cameras.gltf",
        "textureTransform/TextureTransformTest.gltf",
    ];

    private static readonly string[] HugeNumbers = ["4294967295", "2147483647", "2147483648", "-1", "1e308", "-2147483648", "9007199254740993", "65536", "0", "3", "1.5"];

    private static readonly Regex s_number = new(@"(?<=[:\[,]\s*)-?\d+(\.\d+)?([eE][-+]?\d+)?", RegexOptions.Compiled);

    [Fact]
    public void Mutated_files_give_a_model_or_a_GltfException_and_nothing_else()
    {
        var sources = Sources.Select(s => (Name: Path.GetFileName(s), Dir: Path.GetDirectoryName(Path.Combine(GltfConformanceTests.Root, s))!, Bytes: File.ReadAllBytes(Path.Combine(GltfConformanceTests.Root, s))))
            .Append(("monkey.glb", Path.GetTempPath(), Models.BuiltInModels.Create("monkey") is var m ? GltfWriter.ToGlb(m) : []))
            .ToArray();
        var rng = new SceneRandom(20261122);
        var rasterizer = new Rasterizer(new RenderOptions { Width = 16, Height = 16, Supersampling = 2 });
        int accepted = 0, refused = 0;
        var clock = Stopwatch.StartNew();
        const int iterations = 5000;
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            var (name, dir, original) = sources[iteration % sources.Length];
            var mutated = Mutate(original, ref rng, out var how);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var started = clock.Elapsed;
            try
            {
                var model = GltfReader.Load(mutated, name, dir);
                rasterizer.Render(model, Pose.Identity);
                accepted++;
            }
            catch (GltfException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.StartsWith(name, e.Message);
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {iteration} ({name}, {how}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            var took = clock.Elapsed - started;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(took < TimeSpan.FromSeconds(3), $"iteration {iteration} ({name}, {how}) took {took}");
            Assert.True(allocated < 400L << 20, $"iteration {iteration} ({name}, {how}) allocated {allocated >> 20} MiB");
        }
        // Both outcomes occur, so the mutations neither always break nor never touch the files.
        Assert.True(accepted > 50 && refused > 500, $"accepted {accepted}, refused {refused}");
    }

    private static byte[] Mutate(byte[] original, ref SceneRandom rng, out string how)
    {
        var bytes = (byte[])original.Clone();
        switch (rng.NextInt(6))
        {
            case 0:
                int length = rng.NextInt(bytes.Length);
                how = $"truncated to {length}";
                return bytes[..length];
            case 1:
                int flips = 1 + rng.NextInt(8);
                how = $"{flips} flipped bytes";
                for (int i = 0; i < flips; i++) bytes[rng.NextInt(bytes.Length)] ^= (byte)(1 << rng.NextInt(8));
                return bytes;
            case 2 or 3 or 4:
                // A number in the JSON (a count, offset, index, length, component type...) becomes extreme.
                var (jsonStart, jsonLength) = JsonRange(bytes);
                var json = Encoding.UTF8.GetString(bytes, jsonStart, jsonLength);
                var numbers = s_number.Matches(json);
                if (numbers.Count == 0) goto default;
                var pick = numbers[rng.NextInt(numbers.Count)];
                var replacement = HugeNumbers[rng.NextInt(HugeNumbers.Length)];
                how = $"JSON number '{pick.Value}' at {pick.Index} -> {replacement}";
                var changed = json[..pick.Index] + replacement + json[(pick.Index + pick.Length)..];
                return Splice(bytes, jsonStart, jsonLength, Encoding.UTF8.GetBytes(changed));
            default:
                int at = rng.NextInt(Math.Max(1, bytes.Length - 4)) & ~3;
                uint word = rng.NextInt(3) switch { 0 => 0xFFFFFFFF, 1 => 0x7FFFFFFF, _ => 0x80000000 };
                how = $"word at {at} -> 0x{word:X8}";
                if (at + 4 <= bytes.Length) BitConverter.TryWriteBytes(bytes.AsSpan(at), word);
                return bytes;
        }
    }

    /// <summary>The JSON text: the whole file, or a GLB's JSON chunk.</summary>
    private static (int Start, int Length) JsonRange(byte[] bytes)
    {
        if (bytes.Length >= 20 && bytes[0] == 'g' && bytes[1] == 'l' && bytes[2] == 'T' && bytes[3] == 'F')
            return (20, (int)Math.Min(BitConverter.ToUInt32(bytes, 12), (uint)(bytes.Length - 20)));
        return (0, bytes.Length);
    }

    /// <summary>Replaces a GLB's JSON chunk (fixing its padding and the lengths) or the whole .gltf text.</summary>
    private static byte[] Splice(byte[] bytes, int start, int length, byte[] json)
    {
        if (start == 0) return json;
        int padded = (json.Length + 3) & ~3;
        var result = new byte[bytes.Length - length + padded];
        bytes.AsSpan(0, start).CopyTo(result);
        json.CopyTo(result, start);
        result.AsSpan(start + json.Length, padded - json.Length).Fill((byte)' ');
        bytes.AsSpan(start + length).CopyTo(result.AsSpan(start + padded));
        BitConverter.TryWriteBytes(result.AsSpan(8), (uint)result.Length);
        BitConverter.TryWriteBytes(result.AsSpan(12), (uint)padded);
        return result;
    }
}
