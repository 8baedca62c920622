using MLRobust.Attacks;
using TorchSharp;
using static TorchSharp.torch;

namespace MLRobust.Robustness;

/// <summary>
/// The images both robustness analyses start from (Ding and Moeller: 10 correctly classified images per class): up to
/// <see cref="CaseSelectionOptions.ImagesPerClass"/> rows per analysed class whose label the model predicts, taken in row order or
/// in a seeded permutation. Classes without a correctly classified image are listed in <see cref="ClassesWithoutImages"/>;
/// they stay in the class list (the matrices keep their row and column, holding NaN where no case exists).
/// </summary>
public sealed class CaseSelection
{
    private CaseSelection(int[] classes, string[] classNames, long[] rows, int[] rowClasses, int total, int correct, CaseOrder order)
    {
        Classes = classes;
        ClassNames = classNames;
        Rows = rows;
        RowClasses = rowClasses;
        TotalImages = total;
        CorrectlyClassified = correct;
        Order = order;
        ImagesPerClassSelected = classes.Select(c => rowClasses.Count(r => r == c)).ToArray();
        ClassesWithoutImages = classes.Where((c, i) => ImagesPerClassSelected[i] == 0).ToArray();
    }

    /// <summary>The analysed classes (model class indices, ascending): every class, less None unless
    /// <see cref="CaseSelectionOptions.IncludeNoneClass"/>. Matrix row and column i belong to <c>Classes[i]</c>.</summary>
    public int[] Classes { get; }

    /// <summary>Names of <see cref="Classes"/>: the model's (<see cref="IAttackTarget.ClassNames"/>) or "class c".</summary>
    public string[] ClassNames { get; }

    /// <summary>The selected rows of the images, grouped by class (in the order of <see cref="Classes"/>), in visiting order within a class.</summary>
    public long[] Rows { get; }

    /// <summary>The class (model index) of each selected row.</summary>
    public int[] RowClasses { get; }

    /// <summary>How many images were selected per analysed class (aligned with <see cref="Classes"/>).</summary>
    public int[] ImagesPerClassSelected { get; }

    /// <summary>Analysed classes with no correctly classified image: no case starts there.</summary>
    public int[] ClassesWithoutImages { get; }

    /// <summary>Rows given, of every class (None included).</summary>
    public int TotalImages { get; }

    /// <summary>Rows whose prediction is their label, of every class (None included).</summary>
    public int CorrectlyClassified { get; }

    /// <summary>Accuracy of the model on all rows given.</summary>
    public double CleanAccuracy => TotalImages == 0 ? double.NaN : CorrectlyClassified / (double)TotalImages;

    public CaseOrder Order { get; }

    public int Count => Rows.Length;

    /// <summary>The position of model class <paramref name="modelClass"/> in <see cref="Classes"/>, or -1.</summary>
    public int PositionOf(int modelClass) => Array.IndexOf(Classes, modelClass);

    /// <summary>Selects the images of <paramref name="images"/> [N, C, H, W] (in the model's range) with labels [N].</summary>
    public static CaseSelection Select(IAttackTarget model, Tensor images, Tensor labels, CaseSelectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new CaseSelectionOptions();
        options.Validate();
        if (images.dim() != 4) throw new ArgumentException($"images must be a batch [N, C, H, W]; got [{string.Join(", ", images.shape)}]", nameof(images));
        var n = (int)images.size(0);
        if (labels.dim() != 1 || labels.size(0) != n) throw new ArgumentException($"labels must have shape [{n}]; got [{string.Join(", ", labels.shape)}]", nameof(labels));
        long[] truth;
        using (NewDisposeScope()) truth = labels.to_type(ScalarType.Int64).cpu().data<long>().ToArray();
        foreach (var l in truth)
            if (l < 0 || l >= model.ClassCount) throw new ArgumentOutOfRangeException(nameof(labels), l, $"labels hold class {l}, outside the model's {model.ClassCount} classes");

        var predicted = Predict(model, images, options.BatchSize);
        var classes = Enumerable.Range(0, model.ClassCount).Where(c => options.IncludeNoneClass || c != model.NoneClass).ToArray();
        var names = classes.Select(c => model.ClassNames is { } known && c < known.Count ? known[c] : $"class {c}").ToArray();
        var visit = options.Order == CaseOrder.RowOrder ? Enumerable.Range(0, n).ToArray() : Permutation(n, options.Seed);
        var picked = classes.ToDictionary(c => c, _ => new List<long>());
        foreach (var row in visit)
        {
            var label = (int)truth[row];
            if (predicted[row] == label && picked.TryGetValue(label, out var list) && list.Count < options.ImagesPerClass) list.Add(row);
        }
        var rows = classes.SelectMany(c => picked[c]).ToArray();
        var rowClasses = classes.SelectMany(c => picked[c].Select(_ => c)).ToArray();
        var correct = Enumerable.Range(0, n).Count(i => predicted[i] == truth[i]);
        return new CaseSelection(classes, names, rows, rowClasses, n, correct, options.Order);
    }

    /// <summary>Predictions of all rows, in chunks, without gradients.</summary>
    internal static long[] Predict(IAttackTarget model, Tensor images, int chunk)
    {
        using var scope = NewDisposeScope();
        return Prediction.Predict(model, images.detach().to_type(ScalarType.Float32), chunk).cpu().data<long>().ToArray();
    }

    /// <summary>Fisher-Yates with a managed generator (System.Random's seeded sequence is fixed across .NET versions).</summary>
    private static int[] Permutation(int n, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
