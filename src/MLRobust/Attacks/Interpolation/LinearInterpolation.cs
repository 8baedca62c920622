using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Attacks;

/// <summary>
/// Linear interpolation sweeps between image pairs (Ding and Moeller; PAPERS.md §2): for T at evenly spaced
/// values of [0, 1], the prediction of <c>(1 − T)·A + T·B</c> and of the reverse sweep, giving the class switch
/// thresholds, their sum and the pop-up classes. All pairs × steps are evaluated in batches.
/// </summary>
public sealed class LinearInterpolation
{
    public LinearInterpolation(IAttackTarget model, InterpolationOptions? options = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Options = options ?? new InterpolationOptions();
        Options.Validate();
    }

    public IAttackTarget Model { get; }

    public InterpolationOptions Options { get; }

    /// <summary>Sweeps pairs (<paramref name="a"/>[i], <paramref name="b"/>[i]) of batches [N, C, H, W], of classes
    /// <paramref name="labelsA"/> and <paramref name="labelsB"/> [N].</summary>
    public InterpolationResult Run(Tensor a, Tensor labelsA, Tensor b, Tensor labelsB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.dim() != 4 || !a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"a and b must be batches [N, C, H, W] of the same shape; got [{string.Join(", ", a.shape)}] and [{string.Join(", ", b.shape)}].");
        var n = (int)a.size(0);
        var la = Classes(labelsA, n, nameof(labelsA));
        var lb = Classes(labelsB, n, nameof(labelsB));
        var steps = Options.Steps;
        var grid = Enumerable.Range(0, steps).Select(k => k / (double)(steps - 1)).ToArray();
        return new InterpolationResult(grid, Sweep(a, b, grid), Sweep(b, a, grid), la, lb);
    }

    private long[][] Sweep(Tensor from, Tensor to, double[] grid)
    {
        var n = (int)from.size(0);
        var steps = grid.Length;
        var total = (long)n * steps;
        var predictions = new long[total];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var start = from.detach().to_type(ScalarType.Float32);
        var end = to.detach().to_type(ScalarType.Float32).to(start.device);
        var t = tensor(grid.Select(v => (float)v).ToArray(), device: start.device);
        var perImage = new long[] { 1, 1, 1 };
        for (long s = 0; s < total; s += Options.BatchSize)
        {
            using var inner = NewDisposeScope();
            var count = Math.Min(Options.BatchSize, total - s);
            var flat = arange(HeldScalars.Held(s), HeldScalars.Held(s + count), ScalarType.Int64, start.device);
            var pair = flat.div(tensor((long)steps, device: start.device), RoundingMode.floor);
            var step = flat.remainder(HeldScalars.Held(steps));
            var weight = t.index_select(0, step).reshape(new[] { count }.Concat(perImage).ToArray());
            var images = start.index_select(0, pair) * (HeldScalars.One - weight) + end.index_select(0, pair) * weight;
            var p = Model.Evidence(Model.Forward(images)).argmax(1).cpu().data<long>().ToArray();
            p.CopyTo(predictions, s);
        }
        return Enumerable.Range(0, n).Select(i => predictions.AsSpan(i * steps, steps).ToArray()).ToArray();
    }

    private long[] Classes(Tensor labels, int n, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.dim() != 1 || labels.size(0) != n)
            throw new ArgumentException($"{name} must have shape [{n}]; got [{string.Join(", ", labels.shape)}].", name);
        using var scope = NewDisposeScope();
        var l = labels.to_type(ScalarType.Int64).cpu();
        var values = l.data<long>().ToArray();
        foreach (var v in values)
            if (v < 0 || v >= Model.ClassCount) throw new ArgumentOutOfRangeException(name, v, $"{name} holds class {v}, outside the model's {Model.ClassCount} classes.");
        return values;
    }
}
