using MLRobust.Rendering.DataViews;
using MLRobust.Rendering.Images;
using MLRobust.Rendering.Files;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Scenes;

/// <summary>
/// A folder written by <see cref="SceneFolder.Save"/> or <c>mlrobust render</c>, read back lazily with the
/// columns of a synthetic-scene view: Image, CleanImage (when the manifest has clean_file), Alpha,
/// Label, Parameters. Images decode as the cursor reaches them (values = byte / 255). Label keys follow
/// labels.txt when present, else the order in which labels first appear, with None last.
/// </summary>
public sealed class RenderedFolderDataView : IDataView, IScenePoseSource
{
    private readonly Entry[] _entries;

    private readonly record struct Entry(int Line, string Image, string Alpha, string? Clean, int Label, Pose? Pose);

    public RenderedFolderDataView(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Rendered folder '{folder}' does not exist.");
        Folder = Path.GetFullPath(folder);
        var manifest = Path.Combine(Folder, SceneFolder.ManifestFile);
        if (!File.Exists(manifest)) throw new FileNotFoundException($"Rendered folder '{folder}' has no {SceneFolder.ManifestFile}.", manifest);
        var (header, rows) = SceneCsv.Read(manifest);
        int file = SceneCsv.Column(header, "file", manifest), alpha = SceneCsv.Column(header, "alpha_file", manifest), label = SceneCsv.Column(header, "label", manifest);
        int rx = SceneCsv.Column(header, "rx", manifest), ry = SceneCsv.Column(header, "ry", manifest), rz = SceneCsv.Column(header, "rz", manifest);
        int scale = SceneCsv.Column(header, "scale", manifest, false), sx = SceneCsv.Column(header, "shift_x", manifest, false), sy = SceneCsv.Column(header, "shift_y", manifest, false);
        int clean = SceneCsv.Column(header, "clean_file", manifest, false);
        if (rows.Count == 0) throw new InvalidDataException($"{manifest}: no rows after the header");

        var labels = ReadLabels(Path.Combine(Folder, SceneFolder.LabelsFile), rows.Select(r => r.Fields[label]));
        var index = labels.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
        _entries = new Entry[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var (line, f) = rows[i];
            string where = $"{manifest}:{line}";
            if (!index.TryGetValue(f[label], out int key))
                throw new InvalidDataException($"{where}: label '{f[label]}' is not in {SceneFolder.LabelsFile}");
            Pose? pose = null;
            if (f[rx].Trim().Length > 0 || f[ry].Trim().Length > 0 || f[rz].Trim().Length > 0)
                pose = new Pose(Number(f[rx], "rx", where), Number(f[ry], "ry", where), Number(f[rz], "rz", where))
                {
                    Scale = scale >= 0 && f[scale].Trim().Length > 0 ? Number(f[scale], "scale", where) : 1f,
                    ShiftX = sx >= 0 && f[sx].Trim().Length > 0 ? Number(f[sx], "shift_x", where) : 0f,
                    ShiftY = sy >= 0 && f[sy].Trim().Length > 0 ? Number(f[sy], "shift_y", where) : 0f,
                };
            if (f[file].Length == 0 || f[alpha].Length == 0) throw new InvalidDataException($"{where}: file and alpha_file must not be empty");
            foreach (var (column, named) in new[] { ("file", f[file]), ("alpha_file", f[alpha]), ("clean_file", clean >= 0 ? f[clean] : "") })
                if (named.Length > 0 && !ConfinedPath.TryResolve(Folder, named, out _, out var problem))
                    throw new InvalidDataException($"{where}: {column} '{named}' {problem}");
            _entries[i] = new Entry(line, f[file], f[alpha], clean >= 0 && f[clean].Length > 0 ? f[clean] : null, key, pose);
        }
        bool withClean = clean >= 0 && _entries.All(e => e.Clean is not null);
        using (var first = ImageFiles.Read(Resolve(_entries[0].Image)))
        {
            if (first.Width != first.Height) throw new InvalidDataException($"{Resolve(_entries[0].Image)}: images must be square, this one is {first.Width}x{first.Height}");
            ImageSize = first.Width;
        }
        LabelNames = labels;
        Schema = SceneSchema.Create(ImageSize, labels, withClean);
    }

    public string Folder { get; }
    public int ImageSize { get; }
    public IReadOnlyList<string> LabelNames { get; }
    public DataViewSchema Schema { get; }
    public bool CanShuffle => true;
    public long? GetRowCount() => _entries.Length;

    bool IScenePoseSource.TryGetPose(long row, out Pose pose)
    {
        var p = _entries[row].Pose;
        pose = p ?? Pose.Identity;
        return p is not null;
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        return new Cursor(this, active, rand is null ? null : SceneSchema.Permutation(_entries.Length, rand));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private string Resolve(string relative) =>
        ConfinedPath.TryResolve(Folder, relative, out var path, out var problem) ? path : throw new InvalidDataException($"{Folder}: '{relative}' {problem}");

    private static float Number(string text, string name, string where) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && float.IsFinite(v)
            ? v : throw new InvalidDataException($"{where}: '{name}' is '{text}', not a finite number");

    private static string[] ReadLabels(string path, IEnumerable<string> used)
    {
        if (File.Exists(path))
        {
            var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new InvalidDataException($"{path}: label '{duplicate.Key}' is listed twice");
            if (names.Length == 0) throw new InvalidDataException($"{path}: no labels");
            return names;
        }
        var order = used.Distinct().ToList();
        if (order.Remove(SceneColumns.NoneLabel)) order.Add(SceneColumns.NoneLabel);
        return order.ToArray();
    }

    private sealed class Cursor : SourceCursor
    {
        private readonly RenderedFolderDataView _view;
        private readonly int[]? _order;
        private readonly Delegate?[] _getters;
        private readonly int _pixels;
        private int _next;
        private int _row = -1;

        public Cursor(RenderedFolderDataView view, bool[] active, int[]? order)
        {
            _view = view;
            _order = order;
            _pixels = view.ImageSize * view.ImageSize;
            var schema = view.Schema;
            _getters = new Delegate?[schema.Count];
            void Image(string column, Func<Entry, string> file)
            {
                var c = schema.GetColumnOrNull(column);
                if (c is { } col && active[col.Index])
                    _getters[col.Index] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => Decode(file(Current()), ref v));
            }
            Image(SceneColumns.Image, e => e.Image);
            Image(SceneColumns.CleanImage, e => e.Clean!);
            Image(SceneColumns.Alpha, e => e.Alpha);
            if (active[schema[SceneColumns.Label].Index])
                _getters[schema[SceneColumns.Label].Index] = (ValueGetter<uint>)((ref uint v) => v = (uint)Current().Label + 1);
            if (active[schema[SceneColumns.Parameters].Index])
                _getters[schema[SceneColumns.Parameters].Index] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                {
                    var e = Current();
                    bool none = view.LabelNames[e.Label] == SceneColumns.NoneLabel || e.Pose is null;
                    var p = e.Pose ?? Pose.Identity;
                    SceneSchema.Copy(none ? new float[3] : [p.Rx + 0.5f, p.Ry + 0.5f, p.Rz + 0.5f], ref v);
                });
        }

        public override DataViewSchema Schema => _view.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            (uint)column.Index < (uint)_getters.Length && _getters[column.Index] != null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            CheckGetter<TValue>(column, (uint)column.Index < (uint)_getters.Length ? _getters[column.Index] : null);

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) =>
            value = new DataViewRowId((ulong)(_row >= 0 ? _row : throw new InvalidOperationException("The cursor is not on a row.")), 0);

        private Entry Current() => _row >= 0 ? _view._entries[_row] : throw new InvalidOperationException("The cursor is not on a row.");

        private void Decode(string relative, ref VBuffer<float> value)
        {
            var path = _view.Resolve(relative);
            using var image = ImageFiles.Read(path);
            if (image.Width != _view.ImageSize || image.Height != _view.ImageSize)
                throw new InvalidDataException($"{path}: {image.Width}x{image.Height}, but the folder's images are {_view.ImageSize}x{_view.ImageSize}");
            var pixels = ImageFiles.Luma(image);
            var editor = VBufferEditor.Create(ref value, _pixels);
            for (int i = 0; i < _pixels; i++) editor.Values[i] = pixels[i] / 255f;
            value = editor.Commit();
        }

        protected override bool MoveNextCore()
        {
            if (_next >= _view._entries.Length)
            {
                _row = -1;
                return false;
            }
            _row = _order is null ? _next : _order[_next];
            _next++;
            return true;
        }
    }
}
