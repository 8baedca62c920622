using MLRobust.Rendering.DataViews;
using MLRobust.Rendering.Images;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Scenes;

/// <summary>
/// A rendered dataset on disk: <c>manifest.csv</c> (header
/// <c>file,alpha_file,label,rx,ry,rz,scale,shift_x,shift_y,clean_file</c>; the pose fields are empty on
/// None rows), <c>labels.txt</c> (the label key order, one per line), and per row greyscale PNGs of the
/// image, its alpha and the clean render. Images are written first, each by a rename; the manifest
/// is written last and atomically, so a folder with a manifest is complete.
/// </summary>
public static class SceneFolder
{
    public const string ManifestFile = "manifest.csv";
    public const string LabelsFile = "labels.txt";
    public static readonly string[] ManifestHeader = ["file", "alpha_file", "label", "rx", "ry", "rz", "scale", "shift_x", "shift_y", "clean_file"];

    /// <summary>
    /// Writes every row of <paramref name="data"/> (columns Image and Alpha: square float vectors in [0, 1];
    /// Label: a key with KeyValues; optional Parameters and CleanImage) to <paramref name="folder"/>,
    /// which is created if needed. Poses come exactly from a synthetic-scene view or a loaded folder,
    /// otherwise from Parameters − 0.5. <paramref name="progress"/> hears the number of rows written.
    /// Returns the number of rows.
    /// </summary>
    public static long Save(IDataView data, string folder, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var schema = data.Schema;
        var image = ImageColumn(schema, SceneColumns.Image, out int size);
        var alpha = ImageColumn(schema, SceneColumns.Alpha, out int alphaSize);
        if (alphaSize != size)
            throw new SchemaMismatchException(nameof(data), "alpha", SceneColumns.Alpha, schema[SceneColumns.Image].Type.ToString()!, alpha.Type.ToString()!);
        DataViewSchema.Column? clean = schema.GetColumnOrNull(SceneColumns.CleanImage) is not null ? ImageColumn(schema, SceneColumns.CleanImage, out int cleanSize) : null;
        if (clean is { } c && c.Type.GetValueCount() != size * size)
            throw new SchemaMismatchException(nameof(data), "clean image", SceneColumns.CleanImage, schema[SceneColumns.Image].Type.ToString()!, c.Type.ToString()!);
        var label = SchemaMismatchException.FindColumn(schema, SceneColumns.Label, "label", nameof(data));
        if (label.Type is not KeyDataViewType { RawType: var raw } || raw != typeof(uint))
            throw new SchemaMismatchException(nameof(data), "label", SceneColumns.Label, "Key<UInt32>", label.Type.ToString()!);
        var labelNames = label.GetKeyValueNames()
            ?? throw new ArgumentException($"Label column '{SceneColumns.Label}' has no KeyValues annotation naming its classes.", nameof(data));
        DataViewSchema.Column? parameters = schema.GetColumnOrNull(SceneColumns.Parameters);
        if (parameters is { } p && !p.Type.Equals(new VectorDataViewType(NumberDataViewType.Single, 3)))
            throw new SchemaMismatchException(nameof(data), "parameters", SceneColumns.Parameters, "Vector<Single, 3>", p.Type.ToString()!);
        var poses = data as IScenePoseSource;

        Directory.CreateDirectory(folder);
        RemoveTemporaryFiles(folder);
        long? total = data.GetRowCount();
        int digits = Math.Max(6, ((total ?? 0) - 1).ToString(CultureInfo.InvariantCulture).Length);
        var manifest = new StringBuilder();
        manifest.Append(string.Join(",", ManifestHeader)).Append('\n');

        var active = new List<DataViewSchema.Column> { image, alpha, label };
        if (clean is { } cc) active.Add(cc);
        if (parameters is { } pp) active.Add(pp);
        using var cursor = data.GetRowCursor(active);
        var getImage = cursor.GetGetter<VBuffer<float>>(image);
        var getAlpha = cursor.GetGetter<VBuffer<float>>(alpha);
        var getLabel = cursor.GetGetter<uint>(label);
        var getClean = clean is { } c2 ? cursor.GetGetter<VBuffer<float>>(c2) : null;
        var getParameters = parameters is { } p2 ? cursor.GetGetter<VBuffer<float>>(p2) : null;
        VBuffer<float> buffer = default;
        var bytes = new byte[size * size];
        long row = 0;
        while (cursor.MoveNext())
        {
            cancellation.ThrowIfCancellationRequested();
            string stem = row.ToString("D" + digits, CultureInfo.InvariantCulture);
            string imageFile = $"image_{stem}.png", alphaFile = $"alpha_{stem}.png", cleanFile = clean is null ? "" : $"clean_{stem}.png";
            getImage(ref buffer); WritePng(buffer, size, bytes, Path.Combine(folder, imageFile));
            getAlpha(ref buffer); WritePng(buffer, size, bytes, Path.Combine(folder, alphaFile));
            if (getClean is not null) { getClean(ref buffer); WritePng(buffer, size, bytes, Path.Combine(folder, cleanFile)); }
            uint key = 0;
            getLabel(ref key);
            if (key == 0 || key > labelNames.Length)
                throw new InvalidDataException($"Row {row}: Label key {key} is missing or outside the {labelNames.Length} classes.");
            string name = labelNames[key - 1];
            string[] pose = ["", "", "", "", "", ""];
            if (name != SceneColumns.NoneLabel)
            {
                Pose q;
                if (poses is not null && poses.TryGetPose(row, out var exact)) q = exact;
                else if (getParameters is not null)
                {
                    getParameters(ref buffer);
                    var v = buffer.DenseValues().ToArray();
                    q = new Pose((float)(v[0] - 0.5), (float)(v[1] - 0.5), (float)(v[2] - 0.5));
                }
                else q = Pose.Identity;
                pose = [F(q.Rx), F(q.Ry), F(q.Rz), F(q.Scale), F(q.ShiftX), F(q.ShiftY)];
            }
            manifest.Append(string.Join(",", new[] { imageFile, alphaFile, SceneCsv.Field(name) }.Concat(pose).Append(cleanFile))).Append('\n');
            row++;
            progress?.Report(row);
        }
        AtomicWrite.WriteAllText(Path.Combine(folder, LabelsFile), string.Join("\n", labelNames) + "\n");
        AtomicWrite.WriteAllText(Path.Combine(folder, ManifestFile), manifest.ToString());
        return row;
    }

    /// <summary>The shortest text that reads back as the same float.</summary>
    private static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static DataViewSchema.Column ImageColumn(DataViewSchema schema, string name, out int size)
    {
        var column = SchemaMismatchException.FindColumn(schema, name, "image", "data");
        if (column.Type is VectorDataViewType { ItemType: var item, Size: var n } && item == NumberDataViewType.Single && n > 0)
        {
            int side = (int)Math.Round(Math.Sqrt(n));
            if (side * side == n)
            {
                size = side;
                return column;
            }
        }
        throw new SchemaMismatchException("data", "image", name, "Vector<Single, 1, S, S> (a square greyscale image)", column.Type.ToString()!);
    }

    /// <summary>Removes the temporary files an interrupted save left (images are written as <c>.name.GUID.tmp.png</c>, then
    /// renamed), so that saving again into the folder gives exactly the files of an uninterrupted save.</summary>
    private static void RemoveTemporaryFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp*"))
            if (AtomicWrite.IsTemporaryName(Path.GetFileName(file))) File.Delete(file);
    }

    private static void WritePng(in VBuffer<float> values, int size, byte[] bytes, string path)
    {
        var dense = values.IsDense ? values.GetValues() : values.DenseValues().ToArray();
        for (int i = 0; i < bytes.Length; i++)
        {
            float v = dense[i];
            bytes[i] = (byte)(float.IsNaN(v) ? 0 : Math.Clamp(MathF.Round(v * 255), 0, 255));
        }
        // Temp file then rename, without an fsync per image: the manifest, written last with one, marks the set complete.
        ImageFiles.SaveGreyPng(path, size, size, bytes);
    }
}

/// <summary>Views that know the exact pose of each row (position in a sequential cursor = row index).</summary>
internal interface IScenePoseSource
{
    bool TryGetPose(long row, out Pose pose);
}
