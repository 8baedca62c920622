using MLRobust.Rendering.DataViews;
using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLRobust.Rendering.Geometry;
using MLRobust.Rendering.Raster;

namespace MLRobust.Rendering.Scenes;

/// <summary>
/// Posed renders of 3D models over backgrounds, as a lazy data view (<c>ml.Data.LoadFromSyntheticScenes</c>).
/// Columns: Image, CleanImage, Alpha (Vector&lt;Single, 1, S, S&gt;), Label (Key&lt;UInt32&gt; over the model
/// names then None, with KeyValues), Parameters (Vector&lt;Single, 3&gt;). Row i is a pure function of
/// (seed, i), so rows can be read in any order (<see cref="CanShuffle"/>) and one at a time
/// (<see cref="GetScene"/>). Cursors render only their active columns, a batch of rows ahead at a
/// time, in parallel with one rasterizer per thread.
/// </summary>
public sealed class SyntheticSceneDataView : IDataView, IScenePoseSource
{
    private readonly SceneGenerator _generator;
    private readonly ConcurrentBag<Rasterizer> _rasterizers = new();

    internal SyntheticSceneDataView(SyntheticSceneOptions options, int seed)
    {
        _generator = new SceneGenerator(options, seed);
        Schema = SceneSchema.Create(_generator.Size, _generator.LabelNames, withCleanImage: true);
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    public long? GetRowCount() => _generator.Count;

    /// <summary>The seed rows derive from.</summary>
    public int Seed => _generator.Seed;

    /// <summary>Width and height of the images.</summary>
    public int ImageSize => _generator.Size;

    /// <summary>The models, in label order.</summary>
    public IReadOnlyList<Model3D> Models => _generator.Models;

    /// <summary>The Label column's key values: the model names then "None".</summary>
    public IReadOnlyList<string> LabelNames => _generator.LabelNames;

    /// <summary>What row <paramref name="row"/> shows, without rendering it.</summary>
    public SceneDescription Describe(long row) => _generator.Describe(row);

    /// <summary>Renders row <paramref name="row"/> alone (random access).</summary>
    public SyntheticScene GetScene(long row)
    {
        var rasterizer = Rent();
        try { return _generator.RenderScene(row, rasterizer); }
        finally { _rasterizers.Add(rasterizer); }
    }

    bool IScenePoseSource.TryGetPose(long row, out Pose pose)
    {
        var d = Describe(row);
        pose = d.Pose;
        return !d.IsNone;
    }

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = CursorChecks.ActiveFlags(Schema, columnsNeeded);
        int[]? order = rand is null ? null : SceneSchema.Permutation((int)_generator.Count, rand);
        return new Cursor(this, active, order);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private Rasterizer Rent() => _rasterizers.TryTake(out var r) ? r : _generator.CreateRasterizer();

    private sealed class Cursor : SourceCursor
    {
        private readonly SyntheticSceneDataView _view;
        private readonly SceneGenerator _generator;
        private readonly int[]? _order;
        private readonly bool _image, _clean, _alpha, _render;
        private readonly Delegate?[] _getters;
        private readonly SceneDescription[] _rows;
        private readonly float[][]? _images, _cleans, _alphas;
        private long _next;      // the next position to load into a batch
        private int _batchCount; // rows in the current batch
        private int _inBatch = -1;

        public Cursor(SyntheticSceneDataView view, bool[] active, int[]? order)
        {
            _view = view;
            _generator = view._generator;
            _order = order;
            var schema = view.Schema;
            bool Active(string name) => active[schema[name].Index];
            _image = Active(SceneColumns.Image);
            _clean = Active(SceneColumns.CleanImage);
            _alpha = Active(SceneColumns.Alpha);
            _render = _image || _clean || _alpha;
            int batch = (int)Math.Min(_generator.BatchSize, Math.Max(1, _generator.Count));
            _rows = new SceneDescription[batch];
            int n = _generator.Size * _generator.Size;
            float[][] Buffers() => Enumerable.Range(0, batch).Select(_ => new float[n]).ToArray();
            if (_image) _images = Buffers();
            if (_clean) _cleans = Buffers();
            if (_alpha) _alphas = Buffers();

            _getters = new Delegate?[schema.Count];
            if (_image) _getters[schema[SceneColumns.Image].Index] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => SceneSchema.Copy(_images![Current()], ref v));
            if (_clean) _getters[schema[SceneColumns.CleanImage].Index] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => SceneSchema.Copy(_cleans![Current()], ref v));
            if (_alpha) _getters[schema[SceneColumns.Alpha].Index] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => SceneSchema.Copy(_alphas![Current()], ref v));
            if (Active(SceneColumns.Label))
                _getters[schema[SceneColumns.Label].Index] = (ValueGetter<uint>)((ref uint v) => v = (uint)_rows[Current()].LabelIndex + 1);
            if (Active(SceneColumns.Parameters))
                _getters[schema[SceneColumns.Parameters].Index] = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => SceneSchema.Copy(_rows[Current()].Parameters(), ref v));
        }

        public override DataViewSchema Schema => _view.Schema;

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            (uint)column.Index < (uint)_getters.Length && _getters[column.Index] != null;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            CheckGetter<TValue>(column, (uint)column.Index < (uint)_getters.Length ? _getters[column.Index] : null);

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) =>
            value = new DataViewRowId((ulong)_rows[Current()].Row, 0);

        private int Current() => Position >= 0 ? _inBatch : throw new InvalidOperationException("The cursor is not on a row.");

        protected override bool MoveNextCore()
        {
            if (_inBatch + 1 < _batchCount)
            {
                _inBatch++;
                return true;
            }
            if (_next >= _generator.Count) return false;
            LoadBatch();
            _inBatch = 0;
            return true;
        }

        private void LoadBatch()
        {
            int count = (int)Math.Min(_rows.Length, _generator.Count - _next);
            for (int k = 0; k < count; k++)
            {
                long position = _next + k;
                _rows[k] = _generator.Describe(_order is null ? position : _order[position]);
            }
            _next += count;
            _batchCount = count;
            if (!_render) return;
            int n = _generator.Size * _generator.Size;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(_generator.MaxDegreeOfParallelism, count) };
            try
            {
                Parallel.For(0, count, parallel,
                () => (Rasterizer: _view.Rent(), Intensity: new float[n], Background: new float[n]),
                (k, _, scratch) =>
                {
                    _generator.Render(_rows[k], scratch.Rasterizer, scratch.Intensity, scratch.Background,
                        _images?[k], _cleans?[k], _alphas?[k]);
                    return scratch;
                },
                scratch => _view._rasterizers.Add(scratch.Rasterizer));
            }
            catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
            {
                // Report the first failure itself (e.g. an unreadable background photo), not the wrapper.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
    }
}
