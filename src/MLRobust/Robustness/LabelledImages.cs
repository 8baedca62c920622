using MLRobust.Attacks.Transforms;
using MLRobust.MLNet;
using MLRobust.ImageData;
using MLRobust.Rendering.DataViews;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MLRobust.Robustness;

/// <summary>
/// Images and their classes read from a data view into one tensor, for the robustness analyses (which need every image at
/// once: pairs of classes, sweeps, grids). The image column is a known-size Single vector (read as [C, H, W]) or a square
/// MLImage column (read as luma / 255); the label a key (key k = class k − 1) or a numeric class index.
/// </summary>
public sealed class LabelledImages : IDisposable
{
    private LabelledImages(Tensor images, long[] labels, long[] rows, IReadOnlyList<string>? classNames)
    {
        Images = images;
        Labels = labels;
        Rows = rows;
        ClassNames = classNames;
    }

    /// <summary>[N, C, H, W] float32 on the CPU, values as the column holds them.</summary>
    public Tensor Images { get; }

    /// <summary>The 0-based class of each image.</summary>
    public long[] Labels { get; }

    /// <summary>The row of the data view each image came from.</summary>
    public long[] Rows { get; }

    /// <summary>The label's key value names, when it has them.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    public int Count => Labels.Length;

    /// <summary>Reads at most <paramref name="maxRows"/> rows (in storage order) of <paramref name="data"/>.</summary>
    /// <remarks><paramref name="imageShape"/>: [C, H, W] of a flat vector column that isn't square and single-channel; null: from the column.</remarks>
    public static LabelledImages Read(IDataView data, string featureColumnName = "Features", string labelColumnName = "Label",
        int? maxRows = null, int[]? imageShape = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (maxRows is < 1) throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "maxRows must be at least 1.");
        var schema = data.Schema;
        var featureColumn = SchemaMismatchException.FindColumn(schema, featureColumnName, "feature", nameof(data));
        long[] shape;
        if (PixelColumn.SquareImageSide(featureColumn.Type) is { } side) shape = new long[] { 1, side, side };
        else shape = ImageColumn.Find(schema, featureColumnName, imageShape).Shape;
        var labelColumn = ClassColumn.Find(schema, labelColumnName, "label");
        var classNames = labelColumn.Type is KeyDataViewType ? labelColumn.GetKeyValueNames() : null;
        var classCount = labelColumn.Type is KeyDataViewType key ? (long)key.Count : long.MaxValue;

        var length = (int)(shape[0] * shape[1] * shape[2]);
        var pixels = new List<float>();
        var labels = new List<long>();
        var rows = new List<long>();
        using var cursor = data.GetRowCursor(new[] { featureColumn, labelColumn });
        var features = PixelColumn.Getter(cursor, featureColumn);
        var label = LabelGetter(cursor, labelColumn);
        var value = default(VBuffer<float>);
        while ((maxRows is null || labels.Count < maxRows) && cursor.MoveNext())
        {
            features(ref value);
            if (value.Length != length)
                throw new InvalidOperationException($"Column '{featureColumnName}', row {cursor.Position}: {value.Length} values for images of {length}.");
            pixels.AddRange(value.DenseValues());
            var c = label();
            if (c < 0 || c >= classCount)
                throw new InvalidOperationException($"Column '{labelColumnName}', row {cursor.Position}: the key is missing, so the row has no class.");
            labels.Add(c);
            rows.Add(cursor.Position);
        }
        if (labels.Count == 0) throw new ArgumentException("The data view holds no rows to evaluate.", nameof(data));
        var images = tensor(pixels.ToArray(), new[] { (long)labels.Count }.Concat(shape).ToArray());
        return new LabelledImages(images, labels.ToArray(), rows.ToArray(), classNames);
    }

    /// <summary>The 0-based class of the current row: key k → k − 1 (a missing key → −1), or a whole-number value.</summary>
    private static Func<long> LabelGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type is KeyDataViewType)
        {
            if (type.RawType == typeof(uint)) return Key<uint>(cursor, column, v => v);
            if (type.RawType == typeof(ulong)) return Key<ulong>(cursor, column, v => v);
            if (type.RawType == typeof(ushort)) return Key<ushort>(cursor, column, v => v);
            return Key<byte>(cursor, column, v => v);
        }
        if (type.RawType == typeof(float)) return Number<float>(cursor, column, v => v);
        if (type.RawType == typeof(double)) return Number<double>(cursor, column, v => v);
        if (type.RawType == typeof(int)) return Number<int>(cursor, column, v => v);
        if (type.RawType == typeof(uint)) return Number<uint>(cursor, column, v => v);
        if (type.RawType == typeof(long)) return Number<long>(cursor, column, v => v);
        if (type.RawType == typeof(ulong)) return Number<ulong>(cursor, column, v => v);
        if (type.RawType == typeof(short)) return Number<short>(cursor, column, v => v);
        if (type.RawType == typeof(ushort)) return Number<ushort>(cursor, column, v => v);
        if (type.RawType == typeof(byte)) return Number<byte>(cursor, column, v => v);
        if (type.RawType == typeof(sbyte)) return Number<sbyte>(cursor, column, v => v);
        throw new SchemaMismatchException("data", "label", column.Name, ClassColumn.Expected, type.ToString()!);
    }

    private static Func<long> Key<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, ulong> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return (long)convert(value) - 1;
        };
    }

    private static Func<long> Number<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, double> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            var number = convert(value);
            if (number != Math.Floor(number) || double.IsNaN(number) || number < 0)
                throw new InvalidOperationException($"Column '{column.Name}', row {cursor.Position}: {number} is not a class index.");
            return (long)number;
        };
    }

    public void Dispose() => Images.Dispose();
}
