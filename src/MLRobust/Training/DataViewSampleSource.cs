using MLRobust.ImageData;
using MLRobust.Rendering.DataViews;
using MLRobust.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// A sample source that streams rows from an <see cref="IDataView"/>: nothing is held in memory but the batch being
/// built. Each epoch of each stream opens a cursor shuffled with a Random drawn from (seed, stream, epoch) when the
/// view can shuffle (otherwise rows come in storage order); rows whose label is missing (key 0) are skipped. Column
/// types are checked when the source is made (the ML.NET trainers check them first, with schema errors).
/// </summary>
public sealed class DataViewSampleSource : ISampleSource, IDisposable
{
    private readonly IDataView _data;
    private readonly SampleColumns _columns;
    private readonly DataViewSchema.Column[] _needed;
    private readonly int _seed;
    private readonly Device _device;
    private readonly Dictionary<SampleFilter, Stream> _streams = new();
    private readonly Dictionary<SampleFilter, long> _rowCounts = new();

    public DataViewSampleSource(IDataView data, SampleColumns columns, int classCount, int noneClassIndex, long imageSize, int parameterCount,
        int seed = 1, Device? device = null)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _columns = columns ?? throw new ArgumentNullException(nameof(columns));
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "at least 2 classes are needed");
        if (noneClassIndex < -1 || noneClassIndex >= classCount) throw new ArgumentOutOfRangeException(nameof(noneClassIndex), noneClassIndex, $"must be -1 or below {classCount}");
        if (imageSize < 1) throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "must be positive");
        ClassCount = classCount;
        NoneClassIndex = noneClassIndex;
        ImageSize = imageSize;
        ParameterCount = columns.Parameters is null ? 0 : parameterCount;
        HasRenderColumns = columns.CleanImage is not null && columns.Alpha is not null;
        _seed = seed;
        _device = device ?? CPU;
        var needed = new List<DataViewSchema.Column>
        {
            CheckVector(columns.Features, (int)(imageSize * imageSize), orImage: true),
            CheckKey(columns.Label),
        };
        if (columns.Parameters is not null) needed.Add(CheckVector(columns.Parameters, parameterCount));
        if (columns.CleanImage is not null) needed.Add(CheckVector(columns.CleanImage, (int)(imageSize * imageSize)));
        if (columns.Alpha is not null) needed.Add(CheckVector(columns.Alpha, (int)(imageSize * imageSize)));
        _needed = needed.ToArray();
    }

    public int ClassCount { get; }
    public int NoneClassIndex { get; }
    public long ImageSize { get; }
    public int ParameterCount { get; }
    public bool HasRenderColumns { get; }

    public SampleBatch Next(int count, SampleFilter filter)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "must be positive");
        var stream = GetStream(filter);
        var builder = new BatchBuilder(this, count);
        for (var i = 0; i < count; i++)
        {
            stream.MoveToNextMatch();
            builder.Add(stream.Reader);
        }
        return builder.Build();
    }

    public long GetPosition(SampleFilter filter) => _streams.TryGetValue(filter, out var s) ? s.Position : 0;

    public void Seek(SampleFilter filter, long position)
    {
        if (position < 0) throw new ArgumentOutOfRangeException(nameof(position), position, "must not be negative");
        if (_streams.Remove(filter, out var old)) old.Dispose();
        var stream = GetStream(filter);
        if (position == 0) return;
        var n = CountRows(filter);
        if (n == 0) throw new InvalidOperationException($"the training data has no rows for the stream '{filter}'");
        stream.StartAt(position / n, position % n, position);
    }

    public IEnumerable<SampleBatch> Pass(int batchSize, SampleFilter filter, int maxRows)
    {
        using var cursor = _data.GetRowCursor(_needed);
        var reader = new RowReader(this, cursor);
        var taken = 0;
        var builder = new BatchBuilder(this, Math.Min(batchSize, maxRows));
        while (taken < maxRows && cursor.MoveNext())
        {
            var c = reader.ReadClass();
            if (!Matches(c, filter)) continue;
            builder.Add(reader);
            taken++;
            if (builder.Count == batchSize)
            {
                yield return builder.Build();
                builder = new BatchBuilder(this, Math.Min(batchSize, maxRows - taken));
            }
        }
        if (builder.Count > 0) yield return builder.Build();
    }

    public void Dispose()
    {
        foreach (var s in _streams.Values) s.Dispose();
        _streams.Clear();
    }

    private bool Matches(int cls, SampleFilter filter) => cls >= 0 && (filter == SampleFilter.All || cls != NoneClassIndex);

    private Stream GetStream(SampleFilter filter)
    {
        if (!_streams.TryGetValue(filter, out var stream)) _streams[filter] = stream = new Stream(this, filter);
        return stream;
    }

    private long CountRows(SampleFilter filter)
    {
        if (_rowCounts.TryGetValue(filter, out var n)) return n;
        var label = _data.Schema[_columns.Label];
        using var cursor = _data.GetRowCursor(new[] { label });
        var read = KeyReader.Create(cursor, label);
        n = 0;
        while (cursor.MoveNext()) if (Matches((int)read() - 1, filter)) n++;
        return _rowCounts[filter] = n;
    }

    private DataViewSchema.Column CheckVector(string name, int size, bool orImage = false)
    {
        var column = SchemaMismatchException.FindColumn(_data.Schema, name);
        if (orImage && PixelColumn.SquareImageSide(column.Type) is { } side && side * side == size) return column;
        if (column.Type is not VectorDataViewType { ItemType: var item } v || item != NumberDataViewType.Single || v.Size != size)
            throw new SchemaMismatchException("data", "input", name, $"Vector<Single, {size}>", column.Type.ToString()!);
        return column;
    }

    private DataViewSchema.Column CheckKey(string name)
    {
        var column = SchemaMismatchException.FindColumn(_data.Schema, name);
        if (column.Type is not KeyDataViewType key || key.Count != (ulong)ClassCount)
            throw new SchemaMismatchException("data", "label", name, $"Key with {ClassCount} values", column.Type.ToString()!);
        return column;
    }

    /// <summary>The rows of one filter, epoch after epoch.</summary>
    private sealed class Stream : IDisposable
    {
        private readonly DataViewSampleSource _owner;
        private readonly SampleFilter _filter;
        private DataViewRowCursor? _cursor;
        private long _epoch = -1;
        private long _matchedInEpoch;

        public Stream(DataViewSampleSource owner, SampleFilter filter)
        {
            _owner = owner;
            _filter = filter;
        }

        public long Position { get; private set; }
        public RowReader Reader { get; private set; } = null!;

        /// <summary>Opens epoch <paramref name="epoch"/> and skips its first <paramref name="skip"/> matching rows.</summary>
        public void StartAt(long epoch, long skip, long position)
        {
            Open(epoch);
            for (var i = 0; i < skip; i++) Advance();
            Position = position;
        }

        public void MoveToNextMatch()
        {
            if (_cursor is null) Open(0);
            Advance();
            Position++;
        }

        private void Advance()
        {
            var emptyEpochs = 0;
            while (true)
            {
                while (_cursor!.MoveNext())
                {
                    if (_owner.Matches(Reader.ReadClass(), _filter))
                    {
                        _matchedInEpoch++;
                        return;
                    }
                }
                if (_matchedInEpoch == 0 && ++emptyEpochs > 1)
                    throw new InvalidOperationException($"the training data has no rows for the stream '{_filter}' (rows with a label{(_filter == SampleFilter.Objects ? " other than None" : "")})");
                Open(_epoch + 1);
            }
        }

        private void Open(long epoch)
        {
            _cursor?.Dispose();
            _epoch = epoch;
            _matchedInEpoch = 0;
            var seed = SeedMix.Mix(_owner._seed, (long)_filter, epoch);
            var view = Shuffled(_owner._data, seed);
            // The shuffled view has a schema of its own (ML.NET checks the column objects, and its shuffle drops columns it
            // can't cache, such as images): the same columns, by name.
            _cursor = view.GetRowCursor(_owner._needed.Select(c => view.Schema[c.Name]), new Random(seed));
            Reader = new RowReader(_owner, _cursor);
        }

        public void Dispose() => _cursor?.Dispose();

        /// <summary>A view whose cursors visit the rows in an order set by <paramref name="seed"/>: the data itself when it can
        /// shuffle (random access), else ML.NET's pool shuffle over it (most streaming views, e.g. LoadFromEnumerable, can't).</summary>
        /// <remarks>ML.NET's shuffle drops columns it can't copy (MLImage columns, for one); then the rows are read in storage
        /// order: shuffle before LoadImages (or use ExtractPixels before the trainer) for shuffled epochs.</remarks>
        private IDataView Shuffled(IDataView data, int seed)
        {
            if (data.CanShuffle) return data;
            var shuffled = new MLContext(seed).Data.ShuffleRows(data, seed, ShufflePoolSize, shuffleSource: false);
            return _owner._needed.All(c => shuffled.Schema.GetColumnOrNull(c.Name) is { } s && s.Type.Equals(c.Type)) ? shuffled : data;
        }
    }

    /// <summary>Rows held by the pool shuffle of a streaming view (ML.NET's default is 1,000).</summary>
    internal const int ShufflePoolSize = 1000;

    /// <summary>The getters of one cursor.</summary>
    private sealed class RowReader
    {
        private readonly Func<ulong> _label;
        private readonly ValueGetter<VBuffer<float>> _features;
        private readonly ValueGetter<VBuffer<float>>? _parameters, _clean, _alpha;
        private VBuffer<float> _buffer;
        private long _classPosition = -1;
        private int _class;
        private readonly DataViewRowCursor _cursor;

        public RowReader(DataViewSampleSource owner, DataViewRowCursor cursor)
        {
            _cursor = cursor;
            var schema = cursor.Schema;
            var c = owner._columns;
            _label = KeyReader.Create(cursor, schema[c.Label]);
            _features = PixelColumn.Getter(cursor, schema[c.Features]);
            if (c.Parameters is not null) _parameters = cursor.GetGetter<VBuffer<float>>(schema[c.Parameters]);
            if (c.CleanImage is not null) _clean = cursor.GetGetter<VBuffer<float>>(schema[c.CleanImage]);
            if (c.Alpha is not null) _alpha = cursor.GetGetter<VBuffer<float>>(schema[c.Alpha]);
        }

        /// <summary>The row's class (key − 1), −1 when the label is missing.</summary>
        public int ReadClass()
        {
            if (_cursor.Position != _classPosition)
            {
                _class = (int)_label() - 1;
                _classPosition = _cursor.Position;
            }
            return _class;
        }

        public void Features(Span<float> destination) => Read(_features, destination, "features");
        public void Parameters(Span<float> destination) => Read(_parameters!, destination, "parameters");
        public void Clean(Span<float> destination) => Read(_clean!, destination, "clean image");
        public void Alpha(Span<float> destination) => Read(_alpha!, destination, "alpha");

        private void Read(ValueGetter<VBuffer<float>> getter, Span<float> destination, string what)
        {
            getter(ref _buffer);
            if (_buffer.Length != destination.Length)
                throw new InvalidOperationException($"row {_cursor.Position}: the {what} vector has {_buffer.Length} values, expected {destination.Length}");
            _buffer.CopyTo(destination);
        }
    }

    /// <summary>Collects rows into arrays, then makes the batch's tensors.</summary>
    private sealed class BatchBuilder
    {
        private readonly DataViewSampleSource _owner;
        private readonly int _pixels;
        private readonly float[] _images;
        private readonly long[] _classes;
        private readonly float[]? _parameters, _clean, _alpha;

        public BatchBuilder(DataViewSampleSource owner, int capacity)
        {
            _owner = owner;
            _pixels = (int)(owner.ImageSize * owner.ImageSize);
            _images = new float[capacity * _pixels];
            _classes = new long[capacity];
            if (owner._columns.Parameters is not null) _parameters = new float[capacity * owner.ParameterCount];
            if (owner._columns.CleanImage is not null) _clean = new float[capacity * _pixels];
            if (owner._columns.Alpha is not null) _alpha = new float[capacity * _pixels];
        }

        public int Count { get; private set; }

        public void Add(RowReader reader)
        {
            var i = Count++;
            _classes[i] = reader.ReadClass();
            reader.Features(_images.AsSpan(i * _pixels, _pixels));
            if (_parameters is not null) reader.Parameters(_parameters.AsSpan(i * _owner.ParameterCount, _owner.ParameterCount));
            if (_clean is not null) reader.Clean(_clean.AsSpan(i * _pixels, _pixels));
            if (_alpha is not null) reader.Alpha(_alpha.AsSpan(i * _pixels, _pixels));
        }

        public SampleBatch Build()
        {
            using var scope = NewDisposeScope();
            var n = Count;
            var s = _owner.ImageSize;
            var shape = new long[] { n, 1, s, s };
            Tensor Image(float[] values) => TensorExtensions.FromSpan<float>(values.AsSpan(0, n * _pixels), shape).to(_owner._device).MoveToOuterDisposeScope();
            return new SampleBatch(
                Image(_images),
                TensorExtensions.FromSpan<long>(_classes.AsSpan(0, n), new long[] { n }).to(_owner._device).MoveToOuterDisposeScope(),
                _parameters is null ? null : TensorExtensions.FromSpan<float>(_parameters.AsSpan(0, n * _owner.ParameterCount), new long[] { n, _owner.ParameterCount }).to(_owner._device).MoveToOuterDisposeScope(),
                _clean is null ? null : Image(_clean),
                _alpha is null ? null : Image(_alpha));
        }
    }
}
