using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Training;

/// <summary>
/// A sample source over tensors already in memory: images <c>[N, 1, S, S]</c>, classes <c>[N]</c> and optionally pose
/// parameters <c>[N, P]</c>, clean renders and alphas <c>[N, 1, S, S]</c>. Each epoch of each stream visits the rows in a
/// permutation drawn from (seed, stream, epoch). The source keeps its own copies on the given device.
/// </summary>
public sealed class TensorSampleSource : ISampleSource, IDisposable
{
    private readonly Tensor _images, _classes;
    private readonly Tensor? _parameters, _clean, _alphas;
    private readonly int _seed;
    private readonly Dictionary<SampleFilter, int[]> _rows = new();
    private readonly Dictionary<SampleFilter, long> _positions = new();
    private readonly Dictionary<(SampleFilter, long), int[]> _orders = new();

    public TensorSampleSource(Tensor images, Tensor classes, int classCount, int noneClassIndex = -1, Tensor? parameters = null,
        Tensor? cleanImages = null, Tensor? alphas = null, int seed = 1, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(classes);
        var s = images.shape;
        if (s.Length != 4 || s[1] != 1 || s[2] != s[3]) throw new ArgumentException($"images must be [N, 1, S, S], got [{string.Join(", ", s)}]", nameof(images));
        var n = s[0];
        if (!classes.shape.SequenceEqual(new[] { n })) throw new ArgumentException($"classes must be [{n}], got [{string.Join(", ", classes.shape)}]", nameof(classes));
        if (parameters is not null && (parameters.dim() != 2 || parameters.size(0) != n)) throw new ArgumentException($"parameters must be [{n}, P], got [{string.Join(", ", parameters.shape)}]", nameof(parameters));
        if (cleanImages is not null && !cleanImages.shape.SequenceEqual(s)) throw new ArgumentException("clean images must have the images' shape", nameof(cleanImages));
        if (alphas is not null && !alphas.shape.SequenceEqual(s)) throw new ArgumentException("alphas must have the images' shape", nameof(alphas));
        if ((cleanImages is null) != (alphas is null)) throw new ArgumentException("give both clean images and alphas, or neither", nameof(alphas));
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "at least 2 classes are needed");
        if (noneClassIndex < -1 || noneClassIndex >= classCount) throw new ArgumentOutOfRangeException(nameof(noneClassIndex), noneClassIndex, $"must be -1 or below {classCount}");
        var dev = device ?? CPU;
        using (no_grad())
        {
            _images = images.to(ScalarType.Float32, dev).clone().DetachFromDisposeScope();
            _classes = classes.to(ScalarType.Int64, dev).clone().DetachFromDisposeScope();
            _parameters = parameters?.to(ScalarType.Float32, dev).clone().DetachFromDisposeScope();
            _clean = cleanImages?.to(ScalarType.Float32, dev).clone().DetachFromDisposeScope();
            _alphas = alphas?.to(ScalarType.Float32, dev).clone().DetachFromDisposeScope();
        }
        var labels = classes.to(ScalarType.Int64, CPU).data<long>().ToArray();
        if (labels.Any(c => c < 0 || c >= classCount)) throw new ArgumentException($"class indices must be in [0, {classCount})", nameof(classes));
        ClassCount = classCount;
        NoneClassIndex = noneClassIndex;
        ImageSize = s[2];
        ParameterCount = parameters is null ? 0 : (int)parameters.size(1);
        _seed = seed;
        _rows[SampleFilter.All] = Enumerable.Range(0, (int)n).ToArray();
        _rows[SampleFilter.Objects] = Enumerable.Range(0, (int)n).Where(i => labels[i] != noneClassIndex).ToArray();
    }

    public int ClassCount { get; }
    public int NoneClassIndex { get; }
    public long ImageSize { get; }
    public int ParameterCount { get; }
    public bool HasRenderColumns => _clean is not null;

    public SampleBatch Next(int count, SampleFilter filter)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "must be positive");
        var rows = _rows[filter];
        if (rows.Length == 0) throw new InvalidOperationException($"the training data has no rows for the stream '{filter}'");
        var position = GetPosition(filter);
        var picked = new long[count];
        for (var i = 0; i < count; i++)
        {
            var p = position + i;
            var epoch = p / rows.Length;
            picked[i] = rows[Order(filter, epoch, rows.Length)[p % rows.Length]];
        }
        _positions[filter] = position + count;
        return Gather(picked);
    }

    public long GetPosition(SampleFilter filter) => _positions.GetValueOrDefault(filter);

    public void Seek(SampleFilter filter, long position)
    {
        if (position < 0) throw new ArgumentOutOfRangeException(nameof(position), position, "must not be negative");
        _positions[filter] = position;
    }

    public IEnumerable<SampleBatch> Pass(int batchSize, SampleFilter filter, int maxRows)
    {
        var rows = _rows[filter].Take(maxRows).ToArray();
        for (var start = 0; start < rows.Length; start += batchSize)
            yield return Gather(rows.Skip(start).Take(batchSize).Select(r => (long)r).ToArray());
    }

    private int[] Order(SampleFilter filter, long epoch, int n)
    {
        if (!_orders.TryGetValue((filter, epoch), out var order))
        {
            // Keep only the current epochs' permutations.
            foreach (var stale in _orders.Keys.Where(k => k.Item1 == filter && k.Item2 < epoch - 1).ToList()) _orders.Remove(stale);
            order = SeedMix.Permutation(n, new Random(SeedMix.Mix(_seed, (long)filter, epoch)));
            _orders[(filter, epoch)] = order;
        }
        return order;
    }

    private SampleBatch Gather(long[] rows)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var index = tensor(rows, device: _images.device);
        var batch = new SampleBatch(
            _images.index_select(0, index).MoveToOuterDisposeScope(),
            _classes.index_select(0, index).MoveToOuterDisposeScope(),
            _parameters?.index_select(0, index).MoveToOuterDisposeScope(),
            _clean?.index_select(0, index).MoveToOuterDisposeScope(),
            _alphas?.index_select(0, index).MoveToOuterDisposeScope());
        return batch;
    }

    public void Dispose()
    {
        _images.Dispose();
        _classes.Dispose();
        _parameters?.Dispose();
        _clean?.Dispose();
        _alphas?.Dispose();
    }
}
