using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MLRobust.Tests.Infrastructure;

/// <summary>One row with the synthetic scenes' column contract: Image (composited), CleanImage (object on black),
/// Alpha, Label (key over the shape names + "None") and Parameters (pose in [0, 1]).</summary>
public sealed class ShapeRow
{
    public float[] Image = Array.Empty<float>();
    public float[] CleanImage = Array.Empty<float>();
    public float[] Alpha = Array.Empty<float>();
    public uint Label;
    public float[] Parameters = Array.Empty<float>();

    /// <summary>A copy whose Label is the 0-based class index, as ML.NET's LoadFromEnumerable expects of key properties.</summary>
    internal ShapeRow WithZeroBasedLabel()
    {
        var copy = (ShapeRow)MemberwiseClone();
        copy.Label = Label - 1;
        return copy;
    }
}

/// <summary>
/// Procedurally drawn shapes standing in for rendered 3D models: a disc, a square and a triangle, each with its own
/// shading in its rotated frame (so that patches tell them apart and the rotation of the disc shows), posed by two parameters in [0, 1]
/// — rotation ((p − 0.5) rad) and scale — anti-aliased by 4×4 supersampling and composited over smooth random
/// backgrounds; None rows are backgrounds alone. Row i depends on (seed, i) only.
/// </summary>
public static class SyntheticShapes
{
    public static readonly string[] ClassNames = { "disc", "square", "triangle", "None" };
    public const int NoneClass = 3;
    public const int ParameterCount = 2;

    public static ShapeRow[] Rows(int count, int size, int seed)
    {
        var rows = new ShapeRow[count];
        for (var i = 0; i < count; i++) rows[i] = Row(i, size, seed);
        return rows;
    }

    /// <summary>Row i: classes cycle disc, square, triangle, None.</summary>
    public static ShapeRow Row(int index, int size, int seed)
    {
        // Not HashCode.Combine: .NET randomises it per process, which made every test on these rows vary from run to run.
        var random = new Random(unchecked(seed * 1_000_003 + index * 7919 + 17));
        var cls = index % 4;
        var rotation = (float)random.NextDouble();
        var scale = (float)random.NextDouble();
        var background = Background(size, random);
        var clean = new float[size * size];
        var alpha = new float[size * size];
        if (cls != NoneClass) Draw(cls, rotation, scale, size, clean, alpha);
        var image = new float[size * size];
        for (var p = 0; p < image.Length; p++) image[p] = clean[p] + background[p] * (1 - alpha[p]);
        return new ShapeRow
        {
            Image = image,
            CleanImage = clean,
            Alpha = alpha,
            Label = (uint)cls + 1,
            Parameters = cls == NoneClass ? new[] { 0.5f, 0.5f } : new[] { rotation, scale },
        };
    }

    /// <summary>The rows as a data view with the scenes' column types: image columns Vector&lt;Single, 1, S, S&gt;, Label a key
    /// with the class names as KeyValues, Parameters Vector&lt;Single, 2&gt;.</summary>
    public static IDataView DataView(MLContext ml, IReadOnlyList<ShapeRow> rows, int size)
    {
        var definition = SchemaDefinition.Create(typeof(ShapeRow), SchemaDefinition.Direction.Read);
        var image = new VectorDataViewType(NumberDataViewType.Single, 1, size, size);
        definition["Image"].ColumnType = image;
        definition["CleanImage"].ColumnType = image;
        definition["Alpha"].ColumnType = image;
        definition["Parameters"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, ParameterCount);
        definition["Label"].ColumnType = new KeyDataViewType(typeof(uint), ClassNames.Length);
        definition["Label"].AddAnnotation("KeyValues", new VBuffer<ReadOnlyMemory<char>>(ClassNames.Length, ClassNames.Select(n => n.AsMemory()).ToArray()),
            new VectorDataViewType(TextDataViewType.Instance, ClassNames.Length));
        // ML.NET reads a key property of a row object as the 0-based index (key = value + 1): hand it Label − 1.
        return ml.Data.LoadFromEnumerable(rows.Select(r => r.WithZeroBasedLabel()).ToList(), definition);
    }

    /// <summary>The rows as tensors: images, classes, parameters, clean renders, alphas.</summary>
    public static (Tensor images, Tensor classes, Tensor parameters, Tensor clean, Tensor alpha) Tensors(IReadOnlyList<ShapeRow> rows, int size)
    {
        var n = rows.Count;
        var shape = new long[] { n, 1, size, size };
        return (tensor(rows.SelectMany(r => r.Image).ToArray(), shape),
            tensor(rows.Select(r => (long)r.Label - 1).ToArray()),
            tensor(rows.SelectMany(r => r.Parameters).ToArray(), new long[] { n, ParameterCount }),
            tensor(rows.SelectMany(r => r.CleanImage).ToArray(), shape),
            tensor(rows.SelectMany(r => r.Alpha).ToArray(), shape));
    }

    private static void Draw(int cls, float rotation, float scale, int size, float[] clean, float[] alpha)
    {
        var angle = (rotation - 0.5) * 1.0;
        var (sin, cos) = Math.SinCos(angle);
        var radius = size * (0.22 + 0.12 * scale);
        var centre = size / 2.0;
        const int ss = 4;
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            double inside = 0, shade = 0;
            for (var sy = 0; sy < ss; sy++)
            for (var sx = 0; sx < ss; sx++)
            {
                var px = x + (sx + 0.5) / ss - centre;
                var py = y + (sy + 0.5) / ss - centre;
                // Into the shape's frame: rotate by −angle, scale to the unit shape.
                var u = (cos * px + sin * py) / radius;
                var v = (-sin * px + cos * py) / radius;
                if (!Inside(cls, u, v)) continue;
                inside++;
                shade += Shade(cls, u, v);
            }
            var a = inside / (ss * ss);
            alpha[y * size + x] = (float)a;
            clean[y * size + x] = inside == 0 ? 0 : (float)(shade / (ss * ss));
        }
    }

    /// <summary>Each shape has its own shading, so that patches tell them apart and rotations show: a gradient along u (disc),
    /// stripes across u (square), a gradient along v (triangle).</summary>
    private static double Shade(int cls, double u, double v) => cls switch
    {
        0 => 0.35 + 0.25 * (u + 1),
        1 => 0.55 + 0.3 * Math.Sin(2.5 * Math.PI * u),
        _ => 0.85 - 0.25 * (v + 1),
    };

    private static bool Inside(int cls, double u, double v) => cls switch
    {
        0 => u * u + v * v <= 1,
        1 => Math.Abs(u) <= 0.8 && Math.Abs(v) <= 0.8,
        // An equilateral triangle pointing up (−v), inscribed in the unit circle.
        _ => v <= 0.5 && Math.Sqrt(3) * u - v >= -1 && -Math.Sqrt(3) * u - v >= -1,
    };

    private static float[] Background(int size, Random random)
    {
        // A few random low-frequency waves plus fine noise: smooth, natural-looking clutter in [0.05, 0.95].
        var values = new float[size * size];
        var waves = Enumerable.Range(0, 4).Select(_ => (fx: random.NextDouble() * 0.3, fy: random.NextDouble() * 0.3, phase: random.NextDouble() * 6.283, amp: 0.1 + random.NextDouble() * 0.15)).ToArray();
        var offset = 0.3 + random.NextDouble() * 0.4;
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var v = offset;
            foreach (var w in waves) v += w.amp * Math.Sin(w.fx * x + w.fy * y + w.phase);
            v += (random.NextDouble() - 0.5) * 0.1;
            values[y * size + x] = (float)Math.Clamp(v, 0.05, 0.95);
        }
        return values;
    }
}
